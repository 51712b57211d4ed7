import { useEffect, useRef } from 'preact/hooks';

/** A short two-note chime made by the Web Audio API: no audio file to host or fetch. */
function chime(): void {
  try {
    const audio = new AudioContext();
    const at = audio.currentTime;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.15, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.45);
    [880, 1320].forEach((frequency, i) => {
      const tone = audio.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(at + i * 0.12);
      tone.stop(at + 0.45);
    });
    setTimeout(() => void audio.close(), 600);
  } catch {
    // no Web Audio, or the browser does not let this page play sound yet: the badge is enough
  }
}

/**
 * The optional cues of replies that arrived while the bubble was closed: a chime for each new
 * count (`sound`), and the count before the page title, `(2) Shop` (`title`), taken away when the
 * count is back to zero (unless the page changed its title meanwhile).
 *
 * @example
 * useUnreadCues(unread, { sound: props.unreadSound, title: props.unreadTitle });
 */
export function useUnreadCues(count: number, { sound, title }: { sound?: boolean; title?: boolean }): void {
  const heard = useRef(0);
  const page = useRef<{ original: string; shown: string } | null>(null);
  useEffect(() => {
    if (sound && count > heard.current) chime();
    heard.current = count;
  }, [count, sound]);
  useEffect(() => {
    const cue = page.current;
    if (title && count > 0) {
      const original = cue && document.title === cue.shown ? cue.original : document.title;
      page.current = { original, shown: `(${count}) ${original}` };
      document.title = page.current.shown;
    } else if (cue) {
      if (document.title === cue.shown) document.title = cue.original;
      page.current = null;
    }
  }, [count, title]);
  useEffect(
    () => () => {
      if (page.current && document.title === page.current.shown) document.title = page.current.original;
    },
    [],
  );
}
