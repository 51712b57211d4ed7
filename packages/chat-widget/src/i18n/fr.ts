import type { ChatStrings } from './strings.js';

/**
 * French strings (`locale="fr"`).
 *
 * @example
 * const label = fr.send; // 'Envoyer'
 */
export const fr: ChatStrings = {
  title: 'Discussion',
  openChat: 'Ouvrir la discussion',
  closeChat: 'Fermer la discussion',
  messageLabel: 'Message',
  placeholder: 'Posez une question…',
  send: 'Envoyer',
  stop: 'Arrêter',
  retry: 'Réessayer',
  thinking: "L'IA réfléchit…",
  elapsed: '{seconds} s',
  youSaid: 'Vous',
  assistantSaid: 'Assistant',
  sending: 'Envoi…',
  queued: 'En attente de connexion',
  notSent: 'Non envoyé',
  reconnecting: 'Reconnexion…',
  offline: 'Hors ligne — vos messages seront envoyés à votre retour',
  errorTimeout: 'La réponse a pris trop de temps et a été arrêtée.',
  errorFailed: "Le service d'IA n'a pas pu répondre.",
  errorOffline: "Vous êtes hors ligne, la réponse n'a pas pu être récupérée.",
  errorGeneric: 'Une erreur est survenue pendant la réponse.',
  stopped: 'Arrêté.',
  interrupted: 'Interrompu.',
  stopping: 'Arrêt…',
  welcome: 'Bonjour ! Comment puis-je vous aider ?',
  suggestions: 'Questions suggérées',
  loadOlder: 'Afficher les messages précédents',
  image: 'Image : {alt}',
  copyCode: 'Copier',
  copied: 'Copié',
  conversation: 'Conversation',
  jumpToLatest: 'Aller au dernier message',
  loading: 'Chargement de la discussion…',
  loadFailed: "La discussion n'a pas pu être chargée. Vérifiez votre connexion et réessayez.",
};
