import type { LoginFlow } from './flow.js';

/** What a sign-in step hands back, whoever signs in (RAM user, CloudSSO portal user, root). */
export type StepOutcome =
  /** The flow moved on to its next step. */
  | { kind: 'next'; flow: LoginFlow }
  /** The same step again, with a message (a wrong password or code). */
  | { kind: 'retry'; message: string }
  /** The sign-in ends without a session: its flow is ended for good. */
  | { kind: 'refused'; message: string }
  /** The flow had ended already (its cookie was sent again): the sign-in starts over. */
  | { kind: 'restart' }
  /** A session was opened: its token, and where the browser goes ('' for the audience's home). */
  | { kind: 'done'; token: string; redirect: string };
