import { html, layout } from './html';
import type { Lang } from './i18n';

const T = {
  zh: { title: '暂时无法显示', body: '服务器暂时无法处理此请求，请稍后再试。' },
  en: { title: 'Temporarily unavailable', body: 'The server cannot answer right now. Please try again shortly.' },
};

/** Shown instead of any internal detail when a page cannot be built. */
export function renderServerError(lang: Lang): string {
  const t = T[lang];
  return layout({ lang, title: t.title, body: html`<main class="notfound"><h1>${t.title}</h1><p>${t.body}</p></main>` });
}
