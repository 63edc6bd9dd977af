import { describe, expect, it } from 'vitest';
import { operatorLogList } from '@/lib/audit/list-operator-logs';
import { operatorList } from '@/lib/operators/list-operators';
import { apiListQuery, apiSearchParams } from './list-query';

const logsQuery = apiListQuery(operatorLogList);
const operatorsQuery = apiListQuery(operatorList);

describe('apiSearchParams', () => {
  it('writes a logs query the REST API reads back as the same domain input', () => {
    const input = {
      operatorId: '0b9c6f0e-4a43-4d3c-9a55-2f6b7f0b8c11',
      actorType: ['operator', 'api_token'],
      action: ['operator.updated', 'operator.created'],
      targetType: 'operator',
      targetId: '6a1f0d2e-1111-4222-8333-944455556666',
      createdFrom: new Date('2026-03-01T21:00:00.000Z'),
      createdTo: new Date('2026-03-02T21:00:00.000Z'),
      search: 'Dora',
      ordering: '-createdAt',
    } as const;
    const params = apiSearchParams(input);
    expect(params.get('actor_type')).toBe('operator,api_token');
    expect(params.get('created_from')).toBe('2026-03-01T21:00:00.000Z');
    expect(params.get('ordering')).toBe('-created_at');
    expect(params.has('page')).toBe(false);
    expect(
      operatorLogList.schema.parse(logsQuery.toDomain(logsQuery.schema.parse(Object.fromEntries(params)))),
    ).toEqual({ ...input, page: 1, pageSize: 25 });
  });

  it('writes booleans, snake_cases the ordering field and the page size, and leaves out undefined', () => {
    const params = apiSearchParams({
      isActive: false,
      departmentId: undefined,
      ordering: 'lastSeenAt',
      page: 3,
      pageSize: 50,
    });
    expect(params.toString()).toBe('is_active=false&ordering=last_seen_at&page=3&page_size=50');
    expect(
      operatorList.schema.parse(
        operatorsQuery.toDomain(operatorsQuery.schema.parse(Object.fromEntries(params))),
      ),
    ).toEqual({
      isActive: false,
      ordering: 'lastSeenAt',
      page: 3,
      pageSize: 50,
    });
  });
});
