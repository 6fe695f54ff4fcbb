import type { Config } from '../config.js';

/** The user portal's Login URL for a directory: `<GATEHOUSE_PORTAL_URL or <public URL>/sso>/<DirectoryName>`. */
export function portalLoginUrl(config: Pick<Config, 'publicUrl' | 'portalUrl'>, directoryName: string): string {
  return `${config.portalUrl ?? `${config.publicUrl}/sso`}/${encodeURIComponent(directoryName)}`;
}
