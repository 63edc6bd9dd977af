import { getFormatter, getTranslations } from 'next-intl/server';
import type { ApiTokenListItem } from '@/lib/api-tokens/list-api-tokens';
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

// Below the md breakpoint each row is a card: the header row hides and every cell shows its
// column's name (data-label) before its value, so nothing scrolls sideways at 390 px.
const cell =
  'align-top max-md:flex max-md:gap-3 max-md:py-1 max-md:before:w-28 max-md:before:shrink-0 max-md:before:font-medium max-md:before:opacity-70 max-md:before:content-[attr(data-label)]';

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
    <div className="rounded-box bg-base-100 shadow-sm md:overflow-x-auto">
      <table className="table max-md:block" data-testid="api-tokens">
        <thead className="max-md:hidden">
          <tr>
            <th>{t('token')}</th>
            <th>{t('role')}</th>
            <th>{t('departments')}</th>
            <th>{t('created')}</th>
            <th>{t('expires')}</th>
            <th>{t('lastUsed')}</th>
            <th>{t('status')}</th>
            <th>
              <span className="sr-only">{t('actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody className="max-md:block">
          {tokens.map((token) => {
            const state = stateOf(token, now);
            return (
              <tr
                key={token.id}
                data-testid="api-token-row"
                data-token-id={token.id}
                className="max-md:block max-md:border-b max-md:border-base-300 max-md:py-2"
              >
                <td data-label={t('token')} className={cell}>
                  <div className="flex min-w-0 flex-col">
                    <span className="font-medium break-words">{token.name}</span>
                    <code className="text-xs opacity-80">{token.prefix}…</code>
                  </div>
                </td>
                <td data-label={t('role')} className={cell}>
                  {roles(token.role)}
                </td>
                <td data-label={t('departments')} className={cell}>
                  {token.role === 'admin'
                    ? t('allDepartments')
                    : token.departments.map((d) => d.name).join(', ')}
                </td>
                <td data-label={t('created')} className={cell}>
                  <div className="flex flex-col">
                    {when(token.createdAt)}
                    <span className="text-xs opacity-70">
                      {token.createdByName
                        ? t('createdBy', { name: token.createdByName })
                        : t('createdByScript')}
                    </span>
                  </div>
                </td>
                <td data-label={t('expires')} className={cell}>
                  {token.expiresAt ? when(token.expiresAt) : t('never')}
                </td>
                <td data-label={t('lastUsed')} className={cell}>
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
                </td>
                <td data-label={t('status')} className={cell}>
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
                </td>
                <td className="align-top max-md:flex max-md:py-1">
                  {!token.revokedAt && (
                    <RevokeApiTokenButton id={token.id} name={token.name} prefix={token.prefix} />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
