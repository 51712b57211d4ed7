import type { ChatStrings } from './strings.js';

/**
 * German strings (`locale="de"`).
 *
 * @example
 * <ChatWidget locale="de" strings={{ title: 'Hilfe' }} /> // the rest from `de`
 */
export const de: ChatStrings = {
  title: 'Chat',
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  messageLabel: 'Nachricht',
  placeholder: 'Stellen Sie eine Frage…',
  send: 'Senden',
  stop: 'Stopp',
  retry: 'Erneut versuchen',
  thinking: 'Die KI denkt nach…',
  elapsed: '{seconds} s',
  youSaid: 'Sie',
  assistantSaid: 'Assistent',
  sending: 'Wird gesendet…',
  queued: 'Wartet auf Verbindung',
  notSent: 'Nicht gesendet',
  reconnecting: 'Verbindung wird wiederhergestellt…',
  offline: 'Offline — Ihre Nachrichten werden gesendet, sobald Sie wieder online sind',
  errorTimeout: 'Die Antwort hat zu lange gedauert und wurde abgebrochen.',
  errorFailed: 'Der KI-Dienst konnte nicht antworten.',
  errorOffline: 'Sie sind offline, daher konnte die Antwort nicht geladen werden.',
  errorGeneric: 'Beim Erstellen der Antwort ist ein Fehler aufgetreten.',
  stopped: 'Gestoppt.',
  interrupted: 'Unterbrochen.',
  stopping: 'Wird gestoppt…',
  welcome: 'Hallo! Wie kann ich helfen?',
  suggestions: 'Vorgeschlagene Fragen',
  loadOlder: 'Frühere Nachrichten anzeigen',
  image: 'Bild: {alt}',
  copyCode: 'Kopieren',
  copied: 'Kopiert',
  conversation: 'Unterhaltung',
  jumpToLatest: 'Zur neuesten Nachricht',
  loading: 'Der Chat wird geladen…',
  loadFailed: 'Der Chat konnte nicht geladen werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
};
