import type { Lang } from './i18n';

/** The platform's green: the icon's background, the browser bar on the field pages. */
export const THEME_COLOUR = '#1b7a35';

/** The PNG icons made from assets/icon.svg at start (static.routes.ts), by size in pixels: rounded, and full-bleed for masks. */
export const ICON_SIZES = [192, 512] as const;

/** The field pages a phone can install on its home screen; each has its own service worker scoped to its path. */
export type InstallablePage = 'gate' | 'inspect';

const NAMES: Record<InstallablePage, Record<Lang, { name: string; short: string; description: string }>> = {
  gate: {
    zh: { name: '市场入场查验 · 食品安全追溯', short: '入场查验', description: '市场门口扫码查证验票，断网时也能继续工作。' },
    en: { name: 'Market gate check · food traceability', short: 'Gate check', description: 'Scan loads at the market gate; keeps working when the network drops.' },
  },
  inspect: {
    zh: { name: '现场检查 · 食品安全追溯', short: '现场检查', description: '按检查表记录现场检查、拍照和整改要求，断网时也能继续工作。' },
    en: { name: 'Field inspection · food traceability', short: 'Inspection', description: 'Record field inspections, photos and orders by checklist; keeps working offline.' },
  },
};

/** The manifest's file name under /static/ for a page in a language. */
export const manifestName = (page: InstallablePage, lang: Lang) => `${page}.${lang}.webmanifest`;

/** The web app manifest of a field page: standalone, starting at the page in its language, with the PNG icons. */
export function appManifest(page: InstallablePage, lang: Lang): Record<string, unknown> {
  const n = NAMES[page][lang];
  return {
    id: `/${page}`,
    name: n.name,
    short_name: n.short,
    description: n.description,
    lang: lang === 'zh' ? 'zh-CN' : 'en',
    start_url: lang === 'zh' ? `/${page}` : `/${page}?lang=en`,
    scope: `/${page}`,
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#f4f4f1',
    theme_color: THEME_COLOUR,
    icons: ICON_SIZES.flatMap((size) => [
      { src: `/static/icon-${size}.png`, sizes: `${size}x${size}`, type: 'image/png', purpose: 'any' },
      { src: `/static/icon-maskable-${size}.png`, sizes: `${size}x${size}`, type: 'image/png', purpose: 'maskable' },
    ]),
  };
}

/** What the installable page is for, as its meta description says. */
export const appDescription = (page: InstallablePage, lang: Lang) => NAMES[page][lang].description;
