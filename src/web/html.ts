import { THEME_COLOUR } from './app-manifest';

/** Markup that is already safe to place in a page; only `html` and `raw` make one. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

type Interpolated = SafeHtml | string | number | null | undefined | false | Interpolated[];

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** Template tag: every interpolated value is escaped unless it is itself `SafeHtml`. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Trusted markup written in this codebase (never data). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export interface PageOptions {
  lang: 'zh' | 'en';
  title: string;
  body: SafeHtml;
  /** Extra class on <body>, e.g. a page kind for styling. */
  bodyClass?: string;
  scripts?: string[];
  /** Path of this page without query, for the language switch. */
  path?: string;
  /** Other query parameters to keep in language-switch links. */
  keepQuery?: Record<string, string>;
  /** Reload every so many seconds (a board left on a screen). */
  refreshSeconds?: number;
  /** Further stylesheets of ours after site.css, e.g. /static/label.css for printed labels. */
  stylesheets?: string[];
  /** What a search result says of the page; the platform's own line when not given. */
  description?: string;
  /** A page for signed-in staff (gate, desk, forms): search engines are asked not to index it. */
  private?: boolean;
  /** The web app manifest that makes the page installable on a phone's home screen (/static/…webmanifest). */
  manifest?: string;
}

const SITE_DESCRIPTION = {
  zh: '县食品安全追溯平台：食用农产品的来源、承诺达标合格证、检测结果、流转过程与经营主体信用。',
  en: 'County food-safety traceability: where farm produce came from, its certificate, test results, the chain of hands and the credit of those who sold it.',
};

/** The shell every page shares: one stylesheet from our server, no third-party origin. */
export function layout(opts: PageOptions): string {
  const other = opts.lang === 'zh' ? 'en' : 'zh';
  const switchHref = opts.path ? `${opts.path}?${new URLSearchParams({ ...opts.keepQuery, lang: other }).toString()}` : null;
  return html`<!doctype html>
<html lang="${opts.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="description" content="${opts.description ?? SITE_DESCRIPTION[opts.lang]}">
${opts.private ? html`<meta name="robots" content="noindex, nofollow">` : ''}
<meta name="theme-color" content="${THEME_COLOUR}">
<link rel="icon" href="/favicon.ico" sizes="48x48">
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/static/apple-touch-icon.png">
${opts.manifest ? html`<link rel="manifest" href="${opts.manifest}">` : ''}
${opts.refreshSeconds ? html`<meta http-equiv="refresh" content="${opts.refreshSeconds}">` : ''}
<title>${opts.title}</title>
<link rel="stylesheet" href="/static/site.css">
${(opts.stylesheets ?? []).map((href) => html`<link rel="stylesheet" href="${href}">`)}
</head>
<body class="${opts.bodyClass ?? ''}">
${switchHref ? html`<nav class="lang"><a href="${switchHref}" hreflang="${other}" lang="${other}">${other === 'en' ? 'English' : '中文'}</a></nav>` : ''}
${opts.body}
${(opts.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>
`.value;
}

/** Headers every page carries: no inline script may run, nothing loads from elsewhere. */
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Script-free data block: JSON with `<` escaped so no text can close the element. */
export function jsonData(id: string, value: unknown): string {
  return `<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}</script>`;
}

/** The token sign-in card the gate and the regulator desk share; their scripts read the same element ids. */
export function signInSection(t: { signInTitle: string; token: string; signIn: string }): SafeHtml {
  return html`<section class="card" id="signin">
<h2>${t.signInTitle}</h2>
<form id="signin-form" autocomplete="off">
<label for="token">${t.token}</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required>
<button type="submit" id="signin-button">${t.signIn}</button>
<p class="fail" id="signin-error" role="alert"></p>
</form>
</section>`;
}
