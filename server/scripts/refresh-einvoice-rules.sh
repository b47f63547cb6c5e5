#!/usr/bin/env bash
# Copies the official e-invoice rule XSLTs from local checkouts into server/einvoice-rules and
# recompiles their SEFs. Usage: refresh-einvoice-rules.sh EN16931_CHECKOUT PHIVE_CHECKOUT RELEASE
set -euo pipefail
en16931=${1:?path to a ConnectingEurope/eInvoicing-EN16931 checkout}
phive=${2:?path to a phax/phive-rules checkout}
release=${3:?phive-rules Peppol release directory, e.g. 2026.5}
rules="$(cd "$(dirname "${BASH_SOURCE[0]}")/../einvoice-rules" && pwd)"
cp "$en16931/ubl/xslt/EN16931-UBL-validation.xslt" "$rules/en16931-ubl/"
cp "$en16931/LICENSE.txt" "$rules/en16931-ubl/LICENSE.txt"
cp "$phive/phive-rules-peppol/src/main/resources/external/schematron/openpeppol/$release/xslt/PEPPOL-EN16931-UBL.xslt" "$rules/peppol-bis3/"
node "$(dirname "${BASH_SOURCE[0]}")/compile-einvoice-rules.mjs"
