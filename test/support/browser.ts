import path from 'node:path';

/** Phone-size screenshots of every page land here (git-ignored), for a person to look at. */
export const SHOTS = path.resolve(__dirname, '../screenshots');

/** A phone: the size and touch of a common handset. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

/**
 * Debian's Chromium as root on a closed network: no sandbox, no GPU, none of its own background connections; a fake
 * camera and permission prompt for the pages that scan QR codes.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
];
