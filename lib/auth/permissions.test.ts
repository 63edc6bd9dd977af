import { describe, expect, it } from 'vitest';
import type { OperatorActor } from './actor';
import { canViewClient, requireRole } from './permissions';

const D1 = 'dep-1';
const D2 = 'dep-2';
const op = (role: OperatorActor['role'], departmentIds: string[], operatorId = 'me'): OperatorActor => ({
  kind: 'operator',
  operatorId,
  name: 'x',
  role,
  departmentIds,
});

describe('canViewClient', () => {
  it('lets admins see everything', () => {
    expect(canViewClient(op('admin', []), { departmentId: D2, assignedOperatorId: 'other' })).toBe(true);
  });

  it('limits supervisors to their departments', () => {
    expect(canViewClient(op('supervisor', [D1]), { departmentId: D1, assignedOperatorId: 'other' })).toBe(
      true,
    );
    expect(canViewClient(op('supervisor', [D1]), { departmentId: D2, assignedOperatorId: null })).toBe(false);
    expect(canViewClient(op('supervisor', [D1]), { departmentId: null, assignedOperatorId: null })).toBe(
      false,
    );
  });

  it('gives operators their own clients and their departments’ queue only', () => {
    expect(canViewClient(op('operator', [D1]), { departmentId: D2, assignedOperatorId: 'me' })).toBe(true);
    expect(canViewClient(op('operator', [D1]), { departmentId: D1, assignedOperatorId: null })).toBe(true);
    expect(canViewClient(op('operator', [D1]), { departmentId: D1, assignedOperatorId: 'other' })).toBe(
      false,
    );
    expect(canViewClient(op('operator', [D1]), { departmentId: D2, assignedOperatorId: null })).toBe(false);
  });

  it('never lets a Telegram user act as staff', () => {
    expect(
      canViewClient(
        { kind: 'telegram', telegramUserId: 1, name: 'c' },
        { departmentId: D1, assignedOperatorId: null },
      ),
    ).toBe(false);
    expect(() => requireRole({ kind: 'telegram', telegramUserId: 1, name: 'c' }, ['admin'])).toThrow(
      'signed-in operator',
    );
    expect(() => requireRole(op('operator', [D1]), ['admin'])).toThrow('role');
  });
});
