/**
 * What the visitor typed into the message box the script-tag bundle shows before the panel's code
 * is here, handed to the panel when it arrives: the text (sent at once if the visitor already
 * pressed Enter, else kept as the draft) and whether the box had focus.
 *
 * @example
 * const early: EarlyInput = { text: 'Hello', sent: false, focused: true };
 */
export interface EarlyInput {
  text: string;
  sent: boolean;
  focused: boolean;
}
