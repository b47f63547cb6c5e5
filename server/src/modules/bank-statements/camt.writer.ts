/**
 * camt.053 / camt.054 documents written from a plain description: for tests (any version) and the
 * demo sample statement. Versions .08 and later use their own shapes (`Sts/Cd`, `Pty/Nm`, `TxDtls/Amt`).
 */

export interface CamtTxSpec {
  amount?: string;
  reference?: string;
  text?: string;
  documentNumbers?: string[];
  name?: string;
  iban?: string;
  endToEndId?: string;
}

export interface CamtEntrySpec {
  ref?: string | null;
  amount: string;
  /** Default DBIT (money out). */
  dir?: 'DBIT' | 'CRDT';
  status?: 'BOOK' | 'PDNG' | 'INFO';
  date?: string;
  valueDate?: string;
  reversal?: boolean;
  tx?: CamtTxSpec[];
}

export interface CamtSpec {
  kind?: '053' | '054';
  version?: string;
  messageId?: string;
  statementId?: string;
  iban?: string;
  currency?: string;
  /** Entry currency when it differs from the account's. */
  entryCurrency?: string;
  opening?: string;
  closing?: string;
  from?: string;
  to?: string;
  entries: CamtEntrySpec[];
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function amt(value: string, ccy: string) {
  const neg = value.startsWith('-');
  return { xml: `<Amt Ccy="${ccy}">${neg ? value.slice(1) : value}</Amt>`, dbit: neg };
}

export function buildCamt(spec: CamtSpec): string {
  const kind = spec.kind ?? '053';
  const version = spec.version ?? '02';
  const v = Number(version);
  const ccy = spec.currency ?? 'EUR';
  const eccy = spec.entryCurrency ?? ccy;
  const today = new Date().toISOString().slice(0, 10);
  const party = (role: 'Cdtr' | 'Dbtr', tx: CamtTxSpec) =>
    (tx.name
      ? v >= 8
        ? `<${role}><Pty><Nm>${esc(tx.name)}</Nm></Pty></${role}>`
        : `<${role}><Nm>${esc(tx.name)}</Nm></${role}>`
      : '') + (tx.iban ? `<${role}Acct><Id><IBAN>${tx.iban}</IBAN></Id></${role}Acct>` : '');
  const entries = spec.entries
    .map((e, i) => {
      const dir = e.dir ?? 'DBIT';
      const date = e.date ?? today;
      const txs = (e.tx ?? [])
        .map((tx) => {
          const txAmount = tx.amount
            ? v >= 4
              ? `<Amt Ccy="${eccy}">${tx.amount}</Amt>`
              : `<AmtDtls><TxAmt><Amt Ccy="${eccy}">${tx.amount}</Amt></TxAmt></AmtDtls>`
            : '';
          const strd =
            tx.reference || tx.documentNumbers?.length
              ? `<Strd>${(tx.documentNumbers ?? []).map((n) => `<RfrdDocInf><Nb>${esc(n)}</Nb></RfrdDocInf>`).join('')}${
                  tx.reference
                    ? `<CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${tx.reference}</Ref></CdtrRefInf>`
                    : ''
                }</Strd>`
              : '';
          const ustrd = tx.text ? `<Ustrd>${esc(tx.text)}</Ustrd>` : '';
          return `<TxDtls><Refs><EndToEndId>${tx.endToEndId ?? 'NOTPROVIDED'}</EndToEndId></Refs>${txAmount}<RltdPties>${party(dir === 'DBIT' ? 'Cdtr' : 'Dbtr', tx)}</RltdPties>${
            strd || ustrd ? `<RmtInf>${ustrd}${strd}</RmtInf>` : ''
          }</TxDtls>`;
        })
        .join('');
      const status = e.status ?? 'BOOK';
      return `<Ntry><NtryRef>${i + 1}</NtryRef><Amt Ccy="${eccy}">${e.amount}</Amt><CdtDbtInd>${dir}</CdtDbtInd>${
        e.reversal ? '<RvslInd>true</RvslInd>' : ''
      }${v >= 8 ? `<Sts><Cd>${status}</Cd></Sts>` : `<Sts>${status}</Sts>`}<BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${
        e.valueDate ?? date
      }</Dt></ValDt>${e.ref === null ? '' : `<AcctSvcrRef>${e.ref ?? `REF-${i + 1}`}</AcctSvcrRef>`}<BkTxCd/>${
        txs ? `<NtryDtls>${txs}</NtryDtls>` : ''
      }</Ntry>`;
    })
    .join('\n');
  const bal = (code: string, value: string) => {
    const a = amt(value, ccy);
    return `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp>${a.xml}<CdtDbtInd>${a.dbit ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${spec.to ?? today}</Dt></Dt></Bal>`;
  };
  const acct = `<Acct><Id><IBAN>${spec.iban ?? 'FI2112345600000785'}</IBAN></Id><Ccy>${ccy}</Ccy></Acct>`;
  const period =
    spec.from || spec.to
      ? `<FrToDt><FrDtTm>${spec.from ?? today}T00:00:00</FrDtTm><ToDtTm>${spec.to ?? today}T23:59:59</ToDtTm></FrToDt>`
      : '';
  const hdr = `<GrpHdr><MsgId>${spec.messageId ?? 'MSG-0001'}</MsgId><CreDtTm>${today}T06:00:00Z</CreDtTm></GrpHdr>`;
  const id = spec.statementId ?? `STMT-${today}`;
  if (kind === '054') {
    return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.${version}"><BkToCstmrDbtCdtNtfctn>${hdr}<Ntfctn><Id>${id}</Id><CreDtTm>${today}T06:00:00Z</CreDtTm>${acct}
${entries}
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}"><BkToCstmrStmt>${hdr}<Stmt><Id>${id}</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>${today}T06:00:00Z</CreDtTm>${period}${acct}${
    spec.opening !== undefined ? bal('OPBD', spec.opening) : ''
  }${spec.closing !== undefined ? bal('CLBD', spec.closing) : ''}
${entries}
</Stmt></BkToCstmrStmt></Document>`;
}
