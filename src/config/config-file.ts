// ~/.ipta (or $IPTA_CONFIG): `key = value` lines. PLACEHOLDER until issue 7 builds the reader;
// the shape below is what src/store/options.ts consumes.

export interface ConfigValues {
  db_host?: string;
  db_port?: number;
  db_socket?: string;
  db_user?: string;
  db_pass?: string;
  db_name?: string;
  db_table?: string;
  dns_table?: string;
  db_ssl?: boolean;
  db_ssl_ca?: string;
  limit?: number;
  rdns?: boolean;
  counter?: boolean;
  show_lo?: boolean;
  header?: boolean;
  ttl?: number;
}

export function readConfigFile(): ConfigValues {
  return {};
}
