import { ensureDebianCommand } from './debian-package';

/**
 * Jest globalSetup of the e2e project: the Swagger UI test drives Debian's chromium through
 * playwright-core (playwright's own browser download is not possible here), so make sure it is
 * installed before any suite runs.
 */
export default function e2eGlobalSetup(): void {
  ensureDebianCommand('chromium', 'chromium', 'e2e tests (Swagger UI in a browser)');
}
