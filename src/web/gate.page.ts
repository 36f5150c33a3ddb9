import { UNIT, label, type Lang } from './i18n';
import { appDescription, manifestName } from './app-manifest';
import { html, jsonData, layout, raw, signInSection } from './html';

/** Texts the gate script shows; shipped in the page as data, never as script. */
const TEXT = {
  zh: {
    title: '市场入场查验',
    signInTitle: '门岗登录',
    token: '登录令牌',
    signIn: '登录',
    signOut: '退出',
    recallNotice: '查看召回通知',
    signedInAs: '当前账号',
    notGateStaff: '此令牌不是门岗账号。',
    badToken: '令牌无效或已停用。',
    signInAgain: '登录已失效，请重新登录。本机暂存的记录不会丢失。',
    confirmSignOut: '本机还有 {n} 条记录未提交。退出后它们会保留，待您再次登录时提交。确定退出？',
    waitingFor: '{n} 条等待 {name} 登录后提交',
    vendor: '收货商户',
    pickVendor: '请选择商户',
    quantity: '申报数量',
    unit: '单位',
    code: '追溯码 / 合格证二维码内容',
    check: '查验',
    scan: '扫码',
    stopScan: '停止扫码',
    cameraUnavailable: '无法打开摄像头，请手动输入追溯码。',
    needVendor: '请先选择收货商户。',
    needQuantity: '请填写申报数量。',
    needCode: '请扫码或输入追溯码。',
    ACCEPTED: '准许入场',
    TEST_REQUIRED: '需要快检',
    REJECTED: '拒绝入场',
    QUEUED: '已暂存，联网后自动提交',
    queuedHint: '当前无网络。请人工核对合格证，此次扫码已保存在本机。',
    ERROR: '提交失败',
    online: '在线',
    offline: '离线',
    pending: (n: number) => `待提交 ${n} 条`,
    recent: '最近结果',
    lot: '批次',
    grade: '信用等级',
    certificate: '合格证',
    needsScript: '此页面需要启用 JavaScript。',
    testTitle: '录入快检结果',
    testItem: '检测项目',
    testValue: '抑制率 (%)',
    testResult: '检测结果',
    PASS: '合格',
    FAIL: '不合格',
    testRule: '抑制率 ≥ 50% 判为不合格（GB/T 5009.199）。',
    tester: '检测人',
    recordTest: '提交检测结果',
    recordTestFor: '录入快检',
    needItem: '请填写检测项目。',
    needValue: '请填写 0 到 100 之间的抑制率。',
    needResult: '请选择合格或不合格。',
    needTester: '请填写检测人。',
    testQueued: '快检结果待提交',
    testQueuedHint: '当前无网络。快检结果已保存在本机，联网后自动提交，只提交一次。',
  },
  en: {
    title: 'Market gate check',
    signInTitle: 'Gate sign-in',
    token: 'Access token',
    signIn: 'Sign in',
    signOut: 'Sign out',
    recallNotice: 'Read the recall notice',
    signedInAs: 'Signed in as',
    notGateStaff: 'This token is not a gate staff account.',
    badToken: 'The token is unknown or revoked.',
    signInAgain: 'Your sign-in has ended. Sign in again; what is stored on this device is kept.',
    confirmSignOut: '{n} records on this device are not sent yet. They stay and are sent when you sign in again. Sign out?',
    waitingFor: '{n} waiting for {name}',
    vendor: 'Receiving vendor',
    pickVendor: 'Choose a vendor',
    quantity: 'Declared quantity',
    unit: 'Unit',
    code: 'Trace code / certificate QR text',
    check: 'Check',
    scan: 'Scan',
    stopScan: 'Stop scanning',
    cameraUnavailable: 'The camera cannot be opened; type the code instead.',
    needVendor: 'Choose the receiving vendor first.',
    needQuantity: 'Enter the declared quantity.',
    needCode: 'Scan or type a code.',
    ACCEPTED: 'Accepted',
    TEST_REQUIRED: 'Test required',
    REJECTED: 'Rejected',
    QUEUED: 'Saved; sent when back online',
    queuedHint: 'No network. Check the certificate by hand; this scan is kept on the device.',
    ERROR: 'Not sent',
    online: 'Online',
    offline: 'Offline',
    pending: (n: number) => `${n} waiting to be sent`,
    recent: 'Recent results',
    lot: 'lot',
    grade: 'grade',
    certificate: 'certificate',
    needsScript: 'This page needs JavaScript.',
    testTitle: 'Record the rapid test',
    testItem: 'Item tested',
    testValue: 'Inhibition rate (%)',
    testResult: 'Result',
    PASS: 'Pass',
    FAIL: 'Fail',
    testRule: 'An inhibition rate of 50 % or more is a fail (GB/T 5009.199).',
    tester: 'Tester',
    recordTest: 'Record result',
    recordTestFor: 'Record test',
    needItem: 'Enter the item tested.',
    needValue: 'Enter an inhibition rate from 0 to 100.',
    needResult: 'Choose pass or fail.',
    needTester: "Enter the tester's name.",
    testQueued: 'Test result waiting to be sent',
    testQueuedHint: 'No network. The test result is kept on the device and sent once when back online.',
  },
};

/** The gate's usual rapid test; the name is stored in both languages so the public board reads in either. */
export const RAPID_TEST_ITEM = '有机磷和氨基甲酸酯类农药抑制率 / organophosphate and carbamate inhibition';

const UNITS = ['KG', 'G', 'T', 'L', 'ML', 'PIECE', 'BOX', 'CRATE', 'BOTTLE'];


/** The gate scanner shell; everything it does runs in /static/gate.js against POST /graphql. */
export function renderGatePage(lang: Lang): string {
  const t = TEXT[lang];
  const texts = { ...t, pending: t.pending(0).replace('0', '{n}') };
  const body = html`<main>
<h1>${t.title}</h1>
<noscript><p class="banner warn">${t.needsScript}</p></noscript>
${signInSection(t)}
<section id="scanner" class="hidden">
<p class="status"><span id="who"></span> · <span id="net"></span> · <span id="pending"></span> <a href="#" id="signout">${t.signOut}</a></p>
<ul class="status" id="waiting"></ul>
<ul class="plain" id="recall-alerts" aria-live="assertive"></ul>
<form id="scan-form" class="card" autocomplete="off">
<label for="vendor">${t.vendor}</label>
<select id="vendor" name="vendor" required><option value="">${t.pickVendor}</option></select>
<div class="row">
<div><label for="quantity">${t.quantity}</label><input id="quantity" name="quantity" type="number" inputmode="decimal" min="0" step="any" required></div>
<div><label for="unit">${t.unit}</label><select id="unit" name="unit">${UNITS.map((u) => html`<option value="${u}">${label(UNIT, u, lang)}</option>`)}</select></div>
</div>
<label for="code">${t.code}</label>
<input id="code" name="code" type="text" autocapitalize="off" spellcheck="false">
<div class="row">
<button type="button" id="scan-button" class="secondary">${t.scan}</button>
<button type="submit" id="check-button">${t.check}</button>
</div>
<p class="fail" id="form-error" role="alert"></p>
<video id="camera" class="hidden" muted playsinline></video>
</form>
<div id="answer" class="answer hidden" role="status" aria-live="assertive"><div class="word" id="answer-word"></div><p id="answer-detail"></p><ul id="answer-reasons"></ul></div>
<form id="test-form" class="card hidden" autocomplete="off" novalidate>
<h2>${t.testTitle}</h2>
<p class="sub" id="test-for"></p>
<label for="test-item">${t.testItem}</label>
<textarea id="test-item" name="item" rows="3" maxlength="100" spellcheck="false">${RAPID_TEST_ITEM}</textarea>
<label for="test-value">${t.testValue}</label>
<input id="test-value" name="value" type="number" inputmode="decimal" min="0" max="100" step="any">
<fieldset class="verdict"><legend>${t.testResult}</legend><div class="row">
<label class="choice PASS"><input type="radio" name="result" value="PASS" id="test-pass">${t.PASS}</label>
<label class="choice FAIL"><input type="radio" name="result" value="FAIL" id="test-fail">${t.FAIL}</label>
</div></fieldset>
<p class="sub">${t.testRule}</p>
<label for="tester">${t.tester}</label>
<input id="tester" name="tester" type="text" maxlength="100" autocomplete="name">
<button type="submit" id="test-button">${t.recordTest}</button>
<p class="fail" id="test-error" role="alert"></p>
</form>
<section class="card"><h2>${t.recent}</h2><ul id="recent"></ul></section>
</section>
</main>
${raw(jsonData('gate-text', { lang, ...texts }))}`;
  return layout({ lang, title: t.title, body, bodyClass: 'gate', path: '/gate', private: true, manifest: `/static/${manifestName('gate', lang)}`, description: appDescription('gate', lang), scripts: ['/static/gate.js', '/static/gate-recalls.js'] });
}
