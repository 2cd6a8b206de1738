/**
 * `/welcome/:id/preview`: the residents' guide as they will read it, in one of its languages:
 * only the activities their provider confirmed, each with its note, when and where, and marks
 * where a text falls back to another language or was translated from an older version. A
 * published guide links to the hub's public printable page (a new tab); a draft prints this
 * preview (the console's frame is left out of the print).
 */
import { useState } from 'react';
import { useQuery } from 'urql';
import { Link, useParams } from 'wouter';
import { ConsoleWelcomePreviewDocument, type Language } from '../../../../generated/graphql.ts';
import { useFormat, useLocale, useMessages } from '../../i18n/i18n.tsx';
import { Page } from '../../ui/Page.tsx';
import { Empty, ErrorNotice, Loading } from '../../ui/states.tsx';
import { apiLanguage, asApiLanguage, decodeId, GuideBadge, guidePath, isRtl, useNames } from './welcome.tsx';
import { welcomeMessages } from './welcome.messages.ts';

interface Text {
  text: string;
  language: Language;
  fallback: boolean;
  outdated?: boolean;
}

export default function PreviewPage() {
  const t = useMessages(welcomeMessages);
  const f = useFormat();
  const names = useNames();
  const params = useParams<{ id: string }>();
  const id = decodeId(params.id);
  const { locale } = useLocale();
  const [language, setLanguage] = useState<Language>(() => apiLanguage(locale));
  const [result, reexecute] = useQuery({
    query: ConsoleWelcomePreviewDocument,
    variables: { id, lang: language, consoleLang: apiLanguage(locale) },
  });

  if (!result.data) {
    return (
      <Page title={t.preview}>
        {result.error ? (
          <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : (
          <Loading />
        )}
      </Page>
    );
  }
  const guide = result.data.node?.__typename === 'Guide' ? result.data.node : null;
  if (!guide) {
    return (
      <Page title={t.guideNotFound}>
        <p>{t.guideNotFoundText}</p>
        <p>
          <Link href="/welcome">{t.backToGuides}</Link>
        </p>
      </Page>
    );
  }
  const languages = guide.languages.flatMap((code) => {
    const l = asApiLanguage(code);
    return l ? [l] : [];
  });
  if (!languages.includes(language)) languages.push(language);
  // As the residents' guide shows them: an offer no longer visible in the catalogue is left out.
  const entries = guide.items.edges
    .map((e) => e.node)
    .filter((e) => e.offer)
    .sort((a, b) => a.position - b.position);
  const code = language.toLowerCase();

  return (
    <Page title={t.previewTitle(guide.consoleTitle.text)}>
      <div className="wl-preview-tools">
        <p className="row">
          <GuideBadge status={guide.status} />
          <Link href={guidePath(guide.id)}>{t.backToBuilder}</Link>
        </p>
        <p className="muted">{t.previewIntro}</p>
        {guide.status !== 'PUBLISHED' && <p className="notice wl-readonly">{t.previewDraft}</p>}
        <div className="inline-form">
          <label>
            {t.previewLanguage}
            <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
              {languages.map((l) => (
                <option key={l} value={l} lang={l.toLowerCase()}>
                  {names.language(l)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="primary" onClick={() => window.print()}>
            {t.print}
          </button>
          {guide.status === 'PUBLISHED' && (
            <a
              className="button"
              href={`/guides/${encodeURIComponent(guide.slug)}?lang=${code}`}
              target="_blank"
              rel="noopener"
            >
              {t.printPublic}
              <span className="visually-hidden"> {t.printPublicHint}</span>
            </a>
          )}
        </div>
      </div>

      <article className="card wl-preview" aria-labelledby="wl-preview-title" aria-busy={result.fetching}>
        <Localised as="h2" id="wl-preview-title" text={guide.title} />
        {guide.intro && <Localised as="p" text={guide.intro} />}
        {guide.shelter && (
          <p className="muted">
            {[
              guide.shelter.site.name,
              guide.shelter.site.street,
              [guide.shelter.site.postcode, guide.shelter.site.commune].filter(Boolean).join(' '),
            ]
              .filter(Boolean)
              .join(', ')}
          </p>
        )}
        {entries.length === 0 ? (
          <Empty>{t.previewEmpty}</Empty>
        ) : (
          <ol className="wl-preview-entries">
            {entries.map((entry) => {
              const schedule = entry.schedule.length > 0 ? entry.schedule : (entry.offer?.schedule ?? []);
              return (
                <li key={entry.id}>
                  {entry.offer && <Localised as="h3" text={entry.offer.title} />}
                  <p className="muted">{entry.providerOrganisation.name}</p>
                  {entry.relevanceNote && <Localised as="p" text={entry.relevanceNote} />}
                  <dl className="wl-about">
                    {(schedule.length > 0 || entry.weekday != null) && (
                      <>
                        <dt>{t.when}</dt>
                        <dd>
                          {entry.weekday != null && schedule.length === 0 && names.weekday(entry.weekday)}
                          {schedule.map((s, i) => (
                            <span key={i} className="wl-slot">
                              {s.byday.map(names.byday).join(', ')} {s.opensAt}–{s.closesAt}
                            </span>
                          ))}
                          {entry.placesPerWeek != null && (
                            <span className="wl-slot">{t.placesPerWeek(f.number(entry.placesPerWeek))}</span>
                          )}
                        </dd>
                      </>
                    )}
                    {entry.offer && entry.offer.sites.length > 0 && (
                      <>
                        <dt>{t.where}</dt>
                        <dd>
                          {entry.offer.sites
                            .map((s) => [s.name, s.street, s.commune].filter(Boolean).join(', '))
                            .join(' · ')}
                        </dd>
                      </>
                    )}
                  </dl>
                  {entry.verifiedAt && (
                    <p className="muted">
                      {t.verifiedOn(f.date(entry.verifiedAt), entry.providerOrganisation.name)}
                    </p>
                  )}
                </li>
              );
            })}
          </ol>
        )}
      </article>
    </Page>
  );
}

/**
 * A text as a block in its own language and direction (Arabic and Persian right to left), marked
 * in the console's language when it falls back to another language or is outdated.
 */
function Localised({ text, as: Tag, id }: { text: Text; as: 'h2' | 'h3' | 'p'; id?: string }) {
  const t = useMessages(welcomeMessages);
  const names = useNames();
  const { locale } = useLocale();
  const code = text.language.toLowerCase();
  return (
    <Tag lang={code} dir={isRtl(code) ? 'rtl' : 'ltr'} id={id}>
      {text.text}
      {text.fallback && (
        <bdi lang={locale} className="wl-mark">
          {' '}
          ({t.fallbackMark(names.language(code))})
        </bdi>
      )}
      {text.outdated && (
        <bdi lang={locale} className="wl-mark">
          {' '}
          ({t.outdatedMark})
        </bdi>
      )}
    </Tag>
  );
}
