/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What fuzz_cert's AUTH signs; gen_corpus.c signs the same for its seeds. */
#ifndef FUZZ_CERT_H
#define FUZZ_CERT_H

#define FUZZ_CERT_OCTETS IKE_BUF("IKE_SA_INIT | nonce | prf(SK_p, ID)", 35)

#endif
