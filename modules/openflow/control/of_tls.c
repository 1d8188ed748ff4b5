/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TLS for controller connections, from the database's SSL table as
 * ovs-vswitchd takes it: the switch shows its private_key and
 * certificate, and the controller must show a certificate that ca_cert
 * signed, whichever side connected (pssl: listeners, ssl: targets).
 * OpenSSL, TLS 1.2 at least.
 */
#include <stdio.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "openflow.h"

const char *
sl_of_ssl_file(const json_t *row, const char *col)
{
	const char *s = json_string_value(json_object_get(row, col));

	return s && *s ? s : NULL;
}

void
sl_of_ssl_files(const json_t *ssl, bool tls, char *out, size_t len)
{
	snprintf(out, len, "%s|%s|%s",
		 tls ? sl_of_ssl_file(ssl, "private_key") ?: "" : "",
		 tls ? sl_of_ssl_file(ssl, "certificate") ?: "" : "",
		 tls ? sl_of_ssl_file(ssl, "ca_cert") ?: "" : "");
}

SSL_CTX *
sl_of_tls_ctx(const json_t *ssl, bool server, char *err, size_t len)
{
	const char *key = sl_of_ssl_file(ssl, "private_key");
	const char *cert = sl_of_ssl_file(ssl, "certificate");
	const char *ca = sl_of_ssl_file(ssl, "ca_cert");
	SSL_CTX *ctx;

	if (!key || !cert || !ca) {
		snprintf(err, len, "%s needs the SSL table's private_key, certificate and ca_cert (ovs-vsctl set-ssl)",
			 server ? "pssl" : "ssl");
		return NULL;
	}
	ERR_clear_error();
	ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) ||
	    SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1 ||
	    SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		char why[160];

		ERR_error_string_n(ERR_get_error(), why, sizeof(why));
		snprintf(err, len, "TLS set-up from the SSL table failed: %s", why);
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* the controller must show a certificate the CA signed (a client
	 * always gets the server's: VERIFY_PEER is enough there) */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
			   (server ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), NULL);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return ctx;
}
