/**
 * What the check-in screen sends as a scanner (CheckInParticipantInput): the badge's code read
 * from what was typed or scanned, this browser's scanner key, and a new id for each scan.
 */

/**
 * The badge code in what a scanner or a person typed. A badge's QR code holds the edition's
 * public page with `#badge=<code>` (src/http/event-exports.ts#badgeQrUrl): a handheld scanner
 * types that address, a camera reads it. Codes are upper-case letters and digits
 * (registration.service.ts#newBadgeCode): one typed in lower case is read in upper case.
 */
export function badgeCodeOf(raw: string): string {
  const text = raw.trim();
  const inUrl = /[#&?]badge=([^&#\s]+)/.exec(text);
  let code = text;
  if (inUrl) {
    try {
      code = decodeURIComponent(inUrl[1]!);
    } catch {
      code = inUrl[1]!;
    }
  }
  code = code.trim();
  return /^[0-9a-z]+$/i.test(code) ? code.toUpperCase() : code;
}

/** Random hexadecimal (crypto.randomUUID needs a secure context; a hub on a LAN may be plain HTTP). */
function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}

const KEY = 'maillage.scanner';

/** This browser's scanner key, the same for each scan it sends (kept in localStorage). */
export function scannerKey(): string {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved && /^console-[0-9a-f]{32}$/.test(saved)) return saved;
    const key = `console-${randomHex(16)}`;
    localStorage.setItem(KEY, key);
    return key;
  } catch {
    return `console-${randomHex(16)}`;
  }
}

/** A new id for one scan: sent again with it, the scan is recorded once. */
export const newScanId = () => randomHex(16);
