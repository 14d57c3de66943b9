import { Type } from 'typebox';

// Bounds that keep a hostile body cheap; the real rules (email shape,
// password policy) answer with their own codes and clearer messages.
export const EmailField = Type.String({ minLength: 1, maxLength: 320, description: 'the account email; case and surrounding spaces do not matter' });
export const PasswordField = Type.String({ minLength: 1, maxLength: 1024, description: 'the password' });
export const NewPasswordField = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: '12 to 128 characters; not from breach lists or an easy pattern; must not contain the email',
});

export const CredentialsBody = Type.Object({ email: EmailField, password: PasswordField }, { additionalProperties: false });
export const SignupBody = Type.Object({ email: EmailField, password: NewPasswordField }, { additionalProperties: false });

export const SignupAccepted = Type.Object(
  { email: Type.String({ description: 'the normalized email: log in with it' }) },
  { description: 'The same answer whether or not the email already had an account (enumeration safety).' },
);

export const TokenPairSchema = Type.Object({
  accessToken: Type.String({ description: 'an EdDSA-signed JWT (typ at+jwt); send as Authorization: Bearer' }),
  refreshToken: Type.String({ description: 'opaque; single use: each refresh returns a new one' }),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  tokenType: Type.Literal('Bearer'),
});
