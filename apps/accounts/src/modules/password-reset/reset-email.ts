export interface ResetEmailInput {
  to: string;
  from: string;
  /** PASSWORD_RESET_URL; the token goes in the query. */
  resetUrl: string;
  token: string;
  expiresAt: Date;
}

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The password reset email: a link with `token=<43 base64url characters>`, valid 30 minutes, single use. */
export function resetEmail(input: ResetEmailInput): OutgoingEmail {
  const link = new URL(input.resetUrl);
  link.searchParams.set('token', input.token);
  const expires = input.expiresAt.toISOString().replace('T', ' ').slice(0, 16);
  const text = [
    'Someone asked to reset the password of your Bursary account.',
    '',
    `To choose a new password, open this link before ${expires} UTC (it works once):`,
    link.href,
    '',
    'If it was not you, ignore this email: your password stays as it is.',
  ].join('\n');
  const html = `<p>Someone asked to reset the password of your Bursary account.</p>
<p>To choose a new password, open this link before ${escapeHtml(expires)} UTC (it works once):<br><a href="${escapeHtml(link.href)}">${escapeHtml(link.href)}</a></p>
<p>If it was not you, ignore this email: your password stays as it is.</p>`;
  return { from: input.from, to: input.to, subject: 'Reset your Bursary password', text, html };
}
