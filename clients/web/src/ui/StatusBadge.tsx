import type { ReferralStatus } from '../../../generated/graphql.ts';
import { useMessages } from '../i18n/i18n.tsx';
import { common } from './common.messages.ts';

export function StatusBadge({ status }: { status: ReferralStatus }) {
  const t = useMessages(common);
  return <span className={`badge badge-${status.toLowerCase()}`}>{t[`status_${status}`]}</span>;
}
