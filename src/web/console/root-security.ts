import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { findAccount } from '../../accounts/accounts.js';
import { MFA_ISSUER } from '../../ram/mfa.js';
import { newTotpSecret, otpauthUri } from '../../ram/totp.js';
import { MFA_ATTEMPTS_MESSAGE, mfaAttemptAllowed } from '../../signin/mfa-attempts.js';
import { verifyRootCredentials } from '../../signin/root.js';
import {
  bindRootMfaDevice,
  changeRootPassword,
  readRootLogonState,
  removeRootMfaDevice,
  rootPasswordViolations,
} from '../../signin/root-credentials.js';
import type { ConsoleSession } from '../../sessions/sessions.js';
import { CSRF_FIELD, csrfToken, isCsrfValid } from '../csrf.js';
import { html, page, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { mfaBindForm, mfaCodeForm } from '../signin/pages.js';

// The root identity's security settings: its virtual MFA device (bind with two consecutive codes, remove with a
// current one) and its password. Each change ends root's other sessions. The seed offered for binding travels
// sealed in a cookie tied to the session, so reloading the page shows the same QR code and the codes typed are
// checked against the seed that was scanned.

/** The page's address; its routes are registered relative to the console area's /console prefix. */
const PATH = '/console/root-security';
const ROUTE = '/root-security';
const PENDING_COOKIE = 'gh_root_mfa';
const PENDING_SECONDS = 15 * 60;

type Form = Record<string, string | undefined>;

export async function rootSecurityRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const { services, secure } = web;
  const db = services.store.db;
  const now = (): Date => services.clock.now();

  async function rootSession(request: FastifyRequest): Promise<ConsoleSession | null> {
    const session = await web.currentSession(request);
    return session?.principal_type === 'root' ? session : null;
  }

  /** The seed offered to this session, made once and kept in the cookie until a device is bound. */
  function pendingSecret(request: FastifyRequest, reply: FastifyReply, session: ConsoleSession): string {
    const kept = request.cookies[PENDING_COOKIE];
    if (kept && kept.length < 1024) {
      try {
        const opened = JSON.parse(services.secrets.open(kept)) as { sessionId?: unknown; secret?: unknown };
        if (opened.sessionId === session.id && typeof opened.secret === 'string') return opened.secret;
      } catch {
        // not ours, or another format: offer a new seed
      }
    }
    const secret = newTotpSecret();
    reply.setCookie(PENDING_COOKIE, services.secrets.seal(JSON.stringify({ sessionId: session.id, secret })), {
      path: PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure,
      maxAge: PENDING_SECONDS,
    });
    return secret;
  }

  async function render(request: FastifyRequest, reply: FastifyReply, session: ConsoleSession, status = 200, error?: string): Promise<FastifyReply> {
    const csrf = csrfToken(request, reply, secure);
    const state = await readRootLogonState(db, session.account_id);
    let mfa: Raw;
    if (state.hasMfaDevice) {
      mfa = html`<p class="notice">An MFA device is bound to the root account (since ${state.mfaBoundAt ?? ''}). Sign-in asks for its code after the password.</p>
<p>To remove it, enter a current code from the device.</p>${mfaCodeForm(csrf, `${PATH}/mfa/remove`)}`;
    } else {
      const secret = pendingSecret(request, reply, session);
      const alias = (await findAccount(db, session.account_id))?.alias ?? session.account_id;
      const uri = otpauthUri({ secret, accountName: `root@${alias}`, issuer: MFA_ISSUER });
      const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 200 });
      mfa = html`<p>Protect the root account with a virtual MFA device. Scan the QR code with an authenticator app, or enter the secret key by hand, then enter two consecutive codes.</p>
${mfaBindForm({ csrf, action: `${PATH}/mfa`, qrDataUrl, secret })}`;
    }
    return reply
      .status(status)
      .type('text/html')
      .send(
        page(
          'Root account security',
          html`<h1>Root account security</h1><p><a href="/console">Back to the console</a></p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<h2>Virtual MFA device</h2>${mfa}
<h2>Password</h2>
<form method="post" action="${PATH}/password"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<label for="current-password">Current password</label>
<input type="password" id="current-password" name="currentPassword" autocomplete="current-password" required>
<label for="new-password">New password</label>
<input type="password" id="new-password" name="newPassword" autocomplete="new-password" required>
<label for="confirm-password">Confirm new password</label>
<input type="password" id="confirm-password" name="confirmPassword" autocomplete="new-password" required>
<button type="submit">Change Password</button>
</form>
<p>Changing the password or the MFA device signs the root account out everywhere else.</p>`,
        ),
      );
  }

  /** The root session of a form that passed CSRF; otherwise the answer is sent and null returned. */
  async function formSession(request: FastifyRequest, reply: FastifyReply): Promise<ConsoleSession | null> {
    if (!isCsrfValid(request, services.config.publicUrl)) {
      reply.status(403).type('text/plain').send('Your form expired.');
      return null;
    }
    const session = await rootSession(request);
    if (!session) reply.redirect('/root/login', 303);
    return session;
  }

  app.get(ROUTE, async (request, reply) => {
    const session = await rootSession(request);
    if (!session) return reply.redirect('/root/login', 303);
    return render(request, reply, session);
  });

  app.post(`${ROUTE}/mfa`, async (request, reply) => {
    const session = await formSession(request, reply);
    if (!session) return reply;
    const body = request.body as Form;
    const result = await bindRootMfaDevice(db, services.secrets, {
      accountId: session.account_id,
      sessionId: session.id,
      secret: pendingSecret(request, reply, session),
      code1: String(body.code1 ?? '').trim().slice(0, 16),
      code2: String(body.code2 ?? '').trim().slice(0, 16),
      now: now(),
    });
    if (result === 'wrong-code') return render(request, reply, session, 400, 'The verification codes are incorrect. Enter two consecutive codes.');
    if (result === 'already-bound') return render(request, reply, session, 409, 'An MFA device is bound already.');
    reply.clearCookie(PENDING_COOKIE, { path: PATH });
    return reply.redirect(PATH, 303);
  });

  app.post(`${ROUTE}/mfa/remove`, async (request, reply) => {
    const session = await formSession(request, reply);
    if (!session) return reply;
    // The same cap as the codes typed at sign-in: a session alone must not be enough to guess its way to removal.
    if (!(await mfaAttemptAllowed(services, `root:${session.account_id}`, now()))) return render(request, reply, session, 429, MFA_ATTEMPTS_MESSAGE);
    const code = String((request.body as Form).code ?? '').trim().slice(0, 16);
    const removed = await removeRootMfaDevice(db, services.secrets, { accountId: session.account_id, sessionId: session.id, code, now: now() });
    if (!removed) return render(request, reply, session, 400, 'The verification code is incorrect or was already used. Enter the next code.');
    return reply.redirect(PATH, 303);
  });

  app.post(`${ROUTE}/password`, async (request, reply) => {
    const session = await formSession(request, reply);
    if (!session) return reply;
    const body = request.body as Form;
    const newPassword = String(body.newPassword ?? '').slice(0, 256);
    if (newPassword !== String(body.confirmPassword ?? '').slice(0, 256)) return render(request, reply, session, 400, 'The two passwords do not match.');
    // The current password is checked as at sign-in, under the same lockout.
    const current = await verifyRootCredentials(db, session.account_id, String(body.currentPassword ?? '').slice(0, 256), now());
    if (!current || current.account.id !== session.account_id) return render(request, reply, session, 400, 'The current password is incorrect.');
    const violations = rootPasswordViolations(newPassword);
    if (violations.length > 0) return render(request, reply, session, 400, violations.join(' '));
    await changeRootPassword(db, { accountId: session.account_id, sessionId: session.id, newPassword, now: now() });
    return reply.redirect(PATH, 303);
  });
}
