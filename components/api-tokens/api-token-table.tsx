import { getFormatter, getTranslations } from 'next-intl/server';
import type { ApiTokenListItem } from '@/lib/api-tokens/list-api-tokens';
import { CardCell, CardRow, CardTable } from '../list/card-table';
import { RevokeApiTokenButton } from './revoke-api-token-button';

type TokenState = 'active' | 'expired' | 'revoked';

function stateOf(token: ApiTokenListItem, now: Date): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt) <= now) return 'expired';
  return 'active';
}

const badge: Record<TokenState, string> = {
  active: 'badge-success',
  expired: 'badge-warning',
  revoked: 'badge-error',
};

/**
 * Every API token (server-rendered, times in the viewer's time zone): name and prefix, role,
 * departments, when and by whom created, expiry, last use and address, state, and a revoke
 * button while it is not revoked.
 */
export async function ApiTokenTable({ tokens }: { tokens: ApiTokenListItem[] }) {
  const [t, roles, format] = await Promise.all([
    getTranslations('apiTokens'),
    getTranslations('profile.role'),
    getFormatter(),
  ]);
  const now = new Date();
  const when = (iso: string) => (
    <time dateTime={iso}>{format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' })}</time>
  );
  if (tokens.length === 0) return <p className="opacity-70">{t('empty')}</p>;
  return (
    <CardTable
      testId="api-tokens"
      columns={[
        { label: t('token') },
        { label: t('role') },
        { label: t('departments') },
        { label: t('created') },
        { label: t('expires') },
        { label: t('lastUsed') },
        { label: t('status') },
        { label: t('actions'), hidden: true },
      ]}
    >
      {tokens.map((token) => {
        const state = stateOf(token, now);
        return (
          <CardRow key={token.id} data-testid="api-token-row" data-token-id={token.id}>
            <CardCell label={t('token')}>
              <div className="flex min-w-0 flex-col">
                <span className="font-medium break-words">{token.name}</span>
                <code className="text-xs opacity-80">{token.prefix}…</code>
              </div>
            </CardCell>
            <CardCell label={t('role')}>{roles(token.role)}</CardCell>
            <CardCell label={t('departments')}>
              {token.role === 'admin' ? t('allDepartments') : token.departments.map((d) => d.name).join(', ')}
            </CardCell>
            <CardCell label={t('created')}>
              <div className="flex flex-col">
                {when(token.createdAt)}
                <span className="text-xs opacity-70">
                  {token.createdByName ? t('createdBy', { name: token.createdByName }) : t('createdByScript')}
                </span>
              </div>
            </CardCell>
            <CardCell label={t('expires')}>{token.expiresAt ? when(token.expiresAt) : t('never')}</CardCell>
            <CardCell label={t('lastUsed')}>
              {token.lastUsedAt ? (
                <div className="flex flex-col">
                  {when(token.lastUsedAt)}
                  {token.lastUsedIp && (
                    <span className="text-xs opacity-70">{t('fromIp', { ip: token.lastUsedIp })}</span>
                  )}
                </div>
              ) : (
                t('neverUsed')
              )}
            </CardCell>
            <CardCell label={t('status')}>
              <div className="flex flex-col items-start gap-1">
                <span className={`badge ${badge[state]}`} data-testid="api-token-state">
                  {t(state)}
                </span>
                {token.revokedAt && (
                  <span className="text-xs opacity-70">
                    {t('revokedAt', {
                      date: format.dateTime(new Date(token.revokedAt), {
                        dateStyle: 'medium',
                        timeStyle: 'short',
                      }),
                    })}
                  </span>
                )}
              </div>
            </CardCell>
            <CardCell>
              {!token.revokedAt && (
                <RevokeApiTokenButton id={token.id} name={token.name} prefix={token.prefix} />
              )}
            </CardCell>
          </CardRow>
        );
      })}
    </CardTable>
  );
}
