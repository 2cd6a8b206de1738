/**
 * Scanning badges with the camera: the browser's own BarcodeDetector (Chromium on Android,
 * ChromeOS and macOS, among others) reads the QR code in the camera's picture (getUserMedia). No
 * library: where the browser has no detector, the screen says so and keyboard entry (or a
 * handheld scanner, which types) stays.
 */
import { useEffect, useRef, useState } from 'react';
import { useMessages } from '../../i18n/i18n.tsx';
import { eventsMessages } from './events.messages.ts';

/** The part of the Barcode Detection API used here (not in TypeScript's DOM types yet). */
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

const detectorClass = (): BarcodeDetectorClass | null => {
  const candidate = (window as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  return typeof candidate === 'function' ? candidate : null;
};

type Support = 'yes' | 'no' | 'insecure';

function support(): Support {
  if (!window.isSecureContext) return 'insecure';
  if (!detectorClass() || typeof navigator.mediaDevices?.getUserMedia !== 'function') return 'no';
  return 'yes';
}

/** The same code seen again within this time is the same badge still in front of the camera. */
const REPEAT_MS = 3_000;
const INTERVAL_MS = 200;

export function Camera({ onCode }: { onCode: (raw: string) => void }) {
  const t = useMessages(eventsMessages);
  const [available, setAvailable] = useState<Support>(support);
  const [on, setOn] = useState(false);
  const [denied, setDenied] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const handler = useRef(onCode);
  handler.current = onCode;

  useEffect(() => {
    if (!on) return;
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = { code: '', at: 0 };
    void (async () => {
      const Detector = detectorClass();
      try {
        if (!Detector || !(await Detector.getSupportedFormats()).includes('qr_code')) {
          setAvailable('no');
          setOn(false);
          return;
        }
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment' },
          audio: false,
        });
      } catch {
        if (!stopped) {
          setDenied(true);
          setOn(false);
        }
        return;
      }
      if (stopped || !video.current) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const detector = new Detector({ formats: ['qr_code'] });
      const tick = async () => {
        if (stopped || !video.current) return;
        try {
          if (video.current.readyState >= 2) {
            for (const { rawValue } of await detector.detect(video.current)) {
              const now = Date.now();
              if (rawValue && (rawValue !== last.code || now - last.at > REPEAT_MS)) {
                handler.current(rawValue);
              }
              if (rawValue) last = { code: rawValue, at: now };
            }
          }
        } catch {
          // A frame the detector could not read: the next one.
        }
        if (!stopped) timer = setTimeout(() => void tick(), INTERVAL_MS);
      };
      void tick();
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [on]);

  if (available !== 'yes') {
    return (
      <p className="ev-camera-note">{available === 'insecure' ? t.cameraInsecure : t.cameraUnsupported}</p>
    );
  }
  return (
    <div className="ev-camera">
      <button
        type="button"
        onClick={() => {
          setDenied(false);
          setOn(!on);
        }}
      >
        {on ? t.cameraStop : t.cameraStart}
      </button>
      {denied && <p className="ev-camera-note">{t.cameraDenied}</p>}
      {on && (
        <>
          <p>{t.cameraLive}</p>
          <video ref={video} className="ev-video" muted playsInline aria-label={t.cameraVideo} />
        </>
      )}
    </div>
  );
}
