/**
 * Throwaway TLS certificates made with openssl for tests: a CA and a leaf
 * for `localhost` and `127.0.0.1` signed by it. (Deno's TLS client rejects a
 * self-signed certificate that is its own CA, `CaUsedAsEndEntity`, so the
 * leaf says `basicConstraints=CA:FALSE`.)
 */
import { loadCertificate } from "../../server/mod.ts";
import type { Certificate } from "../../server/mod.ts";

/** A CA and a leaf it signed, as files in a temporary directory. */
export interface TestCertificates extends AsyncDisposable {
  readonly dir: string;
  /** The CA's certificate (PEM): what a client trusts. */
  readonly caPem: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The leaf and key as the server loads them. */
  readonly certificate: Certificate;
}

/** Whether openssl can be run here. */
export function hasOpenssl(): boolean {
  try {
    return new Deno.Command("openssl", { args: ["version"], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args,
    cwd: dir,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

/**
 * Makes a CA and a leaf certificate in `dir` (a new temporary directory by
 * default), under names starting with `prefix`.
 */
export async function makeCertificates(
  dir?: string,
  prefix = "",
): Promise<TestCertificates> {
  const root = dir ?? await Deno.makeTempDir({ prefix: "switchboard-tls-" });
  const p = (name: string) => `${prefix}${name}`;
  await openssl(
    root,
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    p("ca.key"),
    "-out",
    p("ca.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=Switchboard test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  await openssl(
    root,
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    p("key.pem"),
    "-out",
    p("leaf.csr"),
    "-subj",
    "/CN=localhost",
  );
  await Deno.writeTextFile(
    `${root}/${p("leaf.ext")}`,
    "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n" +
      "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(
    root,
    "x509",
    "-req",
    "-in",
    p("leaf.csr"),
    "-CA",
    p("ca.pem"),
    "-CAkey",
    p("ca.key"),
    "-CAcreateserial",
    "-out",
    p("cert.pem"),
    "-days",
    "2",
    "-extfile",
    p("leaf.ext"),
  );
  const certFile = `${root}/${p("cert.pem")}`;
  const keyFile = `${root}/${p("key.pem")}`;
  return {
    dir: root,
    caPem: await Deno.readTextFile(`${root}/${p("ca.pem")}`),
    certFile,
    keyFile,
    certificate: await loadCertificate(certFile, keyFile),
    async [Symbol.asyncDispose]() {
      if (dir === undefined) await Deno.remove(root, { recursive: true });
    },
  };
}
