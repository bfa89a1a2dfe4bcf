// A real authorization server for mcpwalk's tests: panva's oidc-provider,
// configured the way an MCP deployment would use it.
//
//   - dynamic client registration (RFC 7591), PKCE required (S256 only);
//   - resource indicators (RFC 8707): a token requested for one of the
//     resources in OIDC_RESOURCES is a JWT (RS256) whose aud is that
//     resource, with the mcp:read / mcp:write scopes it was granted;
//   - refresh tokens when offline_access is granted (oidc-provider grants it
//     only with prompt=consent, as OpenID Connect Core §11 says), rotated
//     for public clients; revocation (RFC 7009); iss in authorization
//     responses (RFC 9207).
//
// Environment:
//   OIDC_PORT          port on 127.0.0.1 (required)
//   OIDC_RESOURCES     comma-separated resource URIs tokens may be issued for
//   OIDC_INTERACTION   "auto" (default): the login and consent steps finish
//                      by themselves for the user "test-user", so headless
//                      clients can follow redirects to the code; "forms":
//                      oidc-provider's own login and consent pages, for a
//                      real browser.
//   OIDC_ACCESS_TTL    access token lifetime in seconds (default 300)
//
// It listens on 127.0.0.1 only and prints "oidc-as listening <issuer>".

import Provider, { errors } from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
if (!Number.isInteger(port) || port <= 0) {
  throw new Error('oidc-as: OIDC_PORT must be a port number');
}
const issuer = `http://127.0.0.1:${port}`;
const resources = (process.env.OIDC_RESOURCES || '').split(',').filter(Boolean);
const mode = process.env.OIDC_INTERACTION || 'auto';
if (mode !== 'auto' && mode !== 'forms') {
  throw new Error(`oidc-as: OIDC_INTERACTION=${mode}: expected auto or forms`);
}
const accessTTL = Number(process.env.OIDC_ACCESS_TTL || 300);
const mcpScopes = ['mcp:read', 'mcp:write'];

const provider = new Provider(issuer, {
  scopes: ['openid', 'offline_access', ...mcpScopes],
  claims: { openid: ['sub'] },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  features: {
    devInteractions: { enabled: mode === 'forms' },
    registration: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // A client that names no resource gets no access token for one.
      defaultResource: async () => undefined,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (_ctx, resource) => {
        if (!resources.includes(resource)) {
          throw new errors.InvalidTarget(`${resource} is not a resource this server issues tokens for`);
        }
        return {
          scope: mcpScopes.join(' '),
          audience: resource,
          accessTokenTTL: accessTTL,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  pkce: { required: () => true },
  ttl: { AccessToken: accessTTL },
  // forms mode keeps oidc-provider's own interaction pages.
  ...(mode === 'auto' ? { interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` } } : {}),
});

// In auto mode the interaction URL answers with the next redirect at once:
// login as test-user, then consent to what the client asked for.
if (mode === 'auto') {
  provider.use(async (ctx, next) => {
    const m = /^\/interaction\/([\w-]+)$/.exec(ctx.path);
    if (ctx.method !== 'GET' || !m) {
      return next();
    }
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params, session } = details;
    let result;
    if (prompt.name === 'login') {
      result = { login: { accountId: 'test-user' } };
    } else if (prompt.name === 'consent') {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      const missing = prompt.details;
      if (missing.missingOIDCScope) {
        grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      }
      if (missing.missingOIDCClaims) {
        grant.addOIDCClaims(missing.missingOIDCClaims);
      }
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      result = { consent: { grantId: await grant.save() } };
    } else {
      result = { error: 'access_denied', error_description: `unexpected prompt ${prompt.name}` };
    }
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false }));
  });
}

provider.on('server_error', (_ctx, err) => console.error('oidc-as: server_error', err));

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-as listening ${issuer} (interaction ${mode}, resources ${resources.join(' ') || 'none'})`);
});

process.on('SIGTERM', () => process.exit(0));
