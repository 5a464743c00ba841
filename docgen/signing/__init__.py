"""Signatures: checking the director's electronic signatures, showing them, signing inside docgen.

One concern per module:

* ``openssl`` — running OpenSSL 3 with the GOST engine loaded from a config made at run time;
* ``cms`` — reading a CMS/PKCS#7 signature file (DER, PEM or bare Base64) and what it carries;
* ``certificate`` — what a certificate says about its owner (never ИНН/СНИЛС), the signer check;
* ``trust`` — the trusted root and regional CA certificates configured in ``docgen.toml``;
* ``verify`` — the check of one signature against one PDF, with Russian refusals;
* ``records`` — signatures in the register (adapter over the register's own «signed» status);
* ``mark`` — the «Отметка об электронной подписи» of ГОСТ Р 7.0.97-2025 п. 5.23 on a copy of the PDF;
* ``signed_folder`` — the workspace's ``signed/`` folder: find the document, check, record, publish;
* ``pades`` — PAdES signing and validation with pyHanko (RSA/ECDSA keys from a PKCS#12 file);
* ``config`` — the ``[signing]`` section of ``docgen.toml``.
"""
