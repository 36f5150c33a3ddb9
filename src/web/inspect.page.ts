import { OPERATOR_KIND, type Lang } from './i18n';
import { appDescription, manifestName } from './app-manifest';
import { html, jsonData, layout, raw, signInSection } from './html';

/** Texts the inspection script shows; shipped in the page as data, never as script. */
const TEXT = {
  zh: {
    title: '现场检查',
    signInTitle: '检查员登录',
    token: '登录令牌',
    signIn: '登录',
    signOut: '退出',
    signedInAs: '当前账号',
    notFieldStaff: '此令牌不是检查员或村协管员账号。',
    badToken: '令牌无效或已停用。',
    signInAgain: '登录已失效，请重新登录。本机暂存的检查记录不会丢失。',
    confirmSignOut: '本机还有 {n} 条检查记录未提交。退出后它们会保留，待您再次登录时提交。确定退出？',
    online: '在线',
    offline: '离线',
    pending: '待提交 {n} 条',
    find: '查找经营主体',
    search: '名称、登记证号或信用代码',
    searchButton: '查找',
    scan: '扫登记证二维码',
    stopScan: '停止扫码',
    cameraUnavailable: '无法打开摄像头，请输入名称查找。',
    notACard: '这不是登记证二维码。',
    notFound: '没有找到可检查的经营主体。',
    unknownOffline: '离线时只能找到本机已存的经营主体；联网后再查找。',
    checklist: '检查表',
    noChecklist: '没有适用于此类经营主体的检查表。',
    YES: '符合',
    NO: '不符合',
    NOT_APPLICABLE: '不适用',
    CRITICAL: '关键项',
    MAJOR: '重点项',
    MINOR: '一般项',
    note: '说明',
    findings: '检查发现',
    photos: '现场照片',
    takePhoto: '拍照',
    photoWaiting: '待上传',
    submit: '提交检查记录',
    cancel: '取消',
    needAnswers: '请逐项填写：还有 {n} 项未选。',
    needNote: '不符合项请写明情况：{item}',
    QUEUED: '已暂存，联网后自动提交',
    PASS: '合格',
    PUT_RIGHT: '责令整改',
    SERIOUS: '严重问题',
    ERROR: '提交失败',
    photoRefused: '一张照片未被接受：{message}',
    recent: '最近检查',
    order: '整改通知书',
    needsScript: '此页面需要启用 JavaScript。',
  },
  en: {
    title: 'Field inspection',
    signInTitle: 'Inspector sign-in',
    token: 'Access token',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signedInAs: 'Signed in as',
    notFieldStaff: 'This token is not an inspector or village assistant account.',
    badToken: 'The token is unknown or revoked.',
    signInAgain: 'Your sign-in has ended. Sign in again; inspections stored on this device are kept.',
    confirmSignOut: '{n} inspections on this device are not sent yet. They stay and are sent when you sign in again. Sign out?',
    online: 'Online',
    offline: 'Offline',
    pending: '{n} waiting to be sent',
    find: 'Find the operator',
    search: 'Name, card number or credit code',
    searchButton: 'Search',
    scan: 'Scan registration card',
    stopScan: 'Stop scanning',
    cameraUnavailable: 'The camera cannot be opened; search by name instead.',
    notACard: 'This is not a registration card QR code.',
    notFound: 'No operator you may inspect was found.',
    unknownOffline: 'Offline, only operators stored on this device can be found; search again when online.',
    checklist: 'Checklist',
    noChecklist: 'There is no checklist for this kind of operator.',
    YES: 'Yes',
    NO: 'No',
    NOT_APPLICABLE: 'N/A',
    CRITICAL: 'critical',
    MAJOR: 'major',
    MINOR: 'minor',
    note: 'Note',
    findings: 'Findings',
    photos: 'Photos',
    takePhoto: 'Take photo',
    photoWaiting: 'waiting to upload',
    submit: 'Record inspection',
    cancel: 'Cancel',
    needAnswers: 'Answer every item: {n} still open.',
    needNote: 'Say what was wrong: {item}',
    QUEUED: 'Saved; sent when back online',
    PASS: 'Pass',
    PUT_RIGHT: 'Put right',
    SERIOUS: 'Serious',
    ERROR: 'Not sent',
    photoRefused: 'A photo was not accepted: {message}',
    recent: 'Recent inspections',
    order: 'rectification order',
    needsScript: 'This page needs JavaScript.',
  },
};

/** The phone page for field inspections; everything it does runs in /static/inspect.js against GraphQL and /inspect/photos. */
export function renderInspectPage(lang: Lang): string {
  const t = TEXT[lang];
  const kinds = Object.fromEntries(Object.entries(OPERATOR_KIND).map(([k, v]) => [k, v[lang]]));
  const body = html`<main>
<h1>${t.title}</h1>
<noscript><p class="banner warn">${t.needsScript}</p></noscript>
${signInSection(t)}
<section id="inspector" class="hidden">
<p class="status"><span id="who"></span> · <span id="net"></span> · <span id="pending"></span> <a href="#" id="signout">${t.signOut}</a></p>
<form id="find-form" class="card" autocomplete="off">
<h2>${t.find}</h2>
<label for="search">${t.search}</label>
<input id="search" name="search" type="search" autocapitalize="off" spellcheck="false">
<div class="row">
<button type="button" id="scan-button" class="secondary">${t.scan}</button>
<button type="submit" id="search-button">${t.searchButton}</button>
</div>
<p class="fail" id="find-error" role="alert"></p>
<video id="camera" class="hidden" muted playsinline></video>
<ul id="found" class="found"></ul>
</form>
<form id="inspect-form" class="card hidden" autocomplete="off" novalidate>
<h2 id="operator-name"></h2>
<p class="sub" id="operator-detail"></p>
<p class="sub" id="checklist-name"></p>
<ol id="items" class="items"></ol>
<label for="findings">${t.findings}</label>
<textarea id="findings" name="findings" rows="3" maxlength="4000"></textarea>
<fieldset><legend>${t.photos}</legend>
<label class="photo-button" for="photo-input">${t.takePhoto}</label>
<input id="photo-input" class="visually-hidden" type="file" accept="image/jpeg,image/png,image/webp" capture="environment">
<ul id="photos" class="photos"></ul>
</fieldset>
<p class="fail" id="inspect-error" role="alert"></p>
<div class="row">
<button type="button" id="cancel-button" class="secondary">${t.cancel}</button>
<button type="submit" id="submit-button">${t.submit}</button>
</div>
</form>
<div id="answer" class="answer hidden" role="status" aria-live="assertive"><div class="word" id="answer-word"></div><p id="answer-detail"></p></div>
<section class="card"><h2>${t.recent}</h2><ul id="recent"></ul></section>
</section>
</main>
${raw(jsonData('inspect-text', { lang, kinds, ...t }))}`;
  return layout({ lang, title: t.title, body, bodyClass: 'gate inspect', path: '/inspect', private: true, manifest: `/static/${manifestName('inspect', lang)}`, description: appDescription('inspect', lang), scripts: ['/static/inspect.js'] });
}
