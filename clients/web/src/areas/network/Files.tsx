/** The page's figures as files: CSV for a spreadsheet, and the printable monthly report. */
import { useId, useState } from 'react';
import { useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Notice } from '../../ui/states.tsx';
import { downloadNetworkFile, type NetworkFile } from './downloads.ts';
import { nm } from './network.messages.ts';
import { useLanguageTag } from './parts.tsx';
import { monthName, type Period } from './period.ts';

export function NetworkFiles({ period }: { period: Period }) {
  const t = useMessages(nm);
  const { locale } = useLocale();
  const tag = useLanguageTag();
  const id = useId();
  const [busy, setBusy] = useState<NetworkFile | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'problem'; text: string } | null>(null);
  const month = monthName(period.month, tag);
  const day = (iso: string) => iso.slice(0, 10);
  const files: { file: NetworkFile; label: string; params: Record<string, string>; name: string }[] = [
    {
      file: 'flows.csv',
      label: t.flowsCsv,
      params: { from: period.from, to: period.to, lang: locale },
      name: `maillage-flows-${day(period.from)}-${day(period.to)}.csv`,
    },
    {
      file: 'response-times.csv',
      label: t.timesCsv,
      params: { from: period.from, to: period.to, lang: locale },
      name: `maillage-response-times-${day(period.from)}-${day(period.to)}.csv`,
    },
    {
      file: 'gaps.csv',
      label: t.gapsCsv(month),
      params: { month: period.month, lang: locale },
      name: `maillage-gaps-${period.month}.csv`,
    },
    {
      file: 'report.html',
      label: t.report(month),
      params: { month: period.month, lang: locale },
      name: `maillage-report-${period.month}.html`,
    },
  ];
  const download = async (file: (typeof files)[number]) => {
    setBusy(file.file);
    setOutcome(null);
    try {
      const name = await downloadNetworkFile(file.file, file.params, file.name);
      setOutcome({ kind: 'ok', text: t.downloaded(name) });
    } catch (err) {
      setOutcome({
        kind: 'problem',
        text: t.downloadFailed(err instanceof Error ? err.message : String(err)),
      });
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="nw-section" aria-labelledby={id}>
      <h2 id={id}>{t.filesTitle}</h2>
      <p className="nw-intro">{t.filesIntro}</p>
      <div className="row" role="group" aria-labelledby={id}>
        {files.map((f) => (
          <button
            key={f.file}
            type="button"
            disabled={busy !== null}
            aria-busy={busy === f.file}
            onClick={() => void download(f)}
          >
            {f.label}
          </button>
        ))}
      </div>
      <p className="muted">{t.reportHint}</p>
      <div aria-live="polite">
        {busy && (
          <p className="state">
            <span className="spinner" aria-hidden="true" /> {t.downloading}
          </p>
        )}
      </div>
      {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
    </section>
  );
}
