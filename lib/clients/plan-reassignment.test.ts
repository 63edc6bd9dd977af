import { describe, expect, it } from 'vitest';
import { planReassignment, type CandidateOperator, type ClientToMove } from './plan-reassignment';

const NOW = new Date('2026-11-30T12:00:00Z');
const op = (id: string, over: Partial<CandidateOperator> = {}): CandidateOperator => ({
  id,
  departmentIds: ['sales'],
  load: 0,
  capacity: 5,
  available: true,
  lastAssignedAt: null,
  ...over,
});
const client = (clientId: string, over: Partial<ClientToMove> = {}): ClientToMove => ({
  clientId,
  departmentId: 'sales',
  fromOperatorId: 'anna',
  reason: 'response_time_limit',
  ...over,
});

describe('planReassignment', () => {
  it('gives each client to the least-loaded available colleague of the department, never back to the one it leaves', () => {
    const moves = planReassignment(
      [client('c1'), client('c2'), client('c3')],
      [op('anna', { load: 0 }), op('boris', { load: 2 }), op('vera', { load: 1 })],
      NOW,
    );
    // vera (1) takes c1 → 2; boris and vera tie at 2, vera was just assigned: boris takes c2 → 3; vera c3.
    expect(moves.map((m) => [m.clientId, m.toOperatorId])).toEqual([
      ['c1', 'vera'],
      ['c2', 'boris'],
      ['c3', 'vera'],
    ]);
  });

  it('skips operators who are offline, full or of another department; ties go to the least recently assigned', () => {
    const moves = planReassignment(
      [client('c1'), client('c2')],
      [
        op('offline', { available: false }),
        op('full', { load: 5, capacity: 5 }),
        op('support-only', { departmentIds: ['support'] }),
        op('recent', { load: 1, lastAssignedAt: new Date('2026-11-30T11:59:00Z') }),
        op('earlier', { load: 1, lastAssignedAt: new Date('2026-11-30T10:00:00Z') }),
      ],
      NOW,
    );
    expect(moves.map((m) => m.toOperatorId)).toEqual(['earlier', 'recent']);
  });

  it('with nobody free: an overdue client stays, an offline or over-capacity operator’s client goes to the queue', () => {
    const moves = planReassignment(
      [
        client('overdue'),
        client('offline', { reason: 'operator_offline' }),
        client('over', { reason: 'over_capacity' }),
        client('no-department', { departmentId: null, reason: 'operator_offline' }),
      ],
      [op('anna', { load: 9, capacity: 5 })],
      NOW,
    );
    expect(moves.map((m) => [m.clientId, m.toOperatorId])).toEqual([
      ['offline', null],
      ['over', null],
      ['no-department', null],
    ]);
  });

  it('frees room on the operator a client leaves, which the next pick can use', () => {
    const moves = planReassignment(
      [client('from-anna', { fromOperatorId: 'anna' }), client('from-boris', { fromOperatorId: 'boris' })],
      [
        op('anna', { load: 1, capacity: 1 }),
        op('boris', { load: 1, capacity: 1 }),
        op('vera', { load: 0, capacity: 1 }),
      ],
      NOW,
    );
    // anna's client goes to vera (boris is full); vera is then full, and anna has room again.
    expect(moves.map((m) => [m.clientId, m.fromOperatorId, m.toOperatorId])).toEqual([
      ['from-anna', 'anna', 'vera'],
      ['from-boris', 'boris', 'anna'],
    ]);
  });
});
