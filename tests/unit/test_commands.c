/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The commands of the control socket, called with JSON-RPC lines as a client
 * sends them, on a real runtime (null ports, no workers running): every
 * argument is checked with an error that names it, and the model keeps its
 * invariants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl.h"
#include "ctl_server.h"
#include "eal.h"
#include "eal_fixture.h"
#include "sl_features.h"
#include "options.h"
#include "sluice_api.h"

static struct sl_runtime rt;
static struct sl_model *model;
static struct sl_options opt;
static struct sl_eal_plan eal;
static struct sl_ctl ctl;

/* Send one request; returns the answer (owned by the caller). */
static json_t *
rpc(const char *method, const char *params_json)
{
	char line[4096];
	char *text;
	json_t *a;

	snprintf(line, sizeof(line),
		 "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"%s\",\"params\":%s}",
		 method, params_json ? params_json : "{}");
	text = sl_ctl_handle(&ctl, line, strlen(line), NULL);
	assert_non_null(text);
	a = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(a);
	assert_int_equal(json_integer_value(json_object_get(a, "id")), 7);
	return a;
}

/* One request on connection conn_id (0: none): the answer's error name,
 * or "OK". */
static const char *
as_peer(uint64_t conn_id, const char *method, const char *params)
{
	struct sl_peer peer = { .pid = 4242, .conn_id = conn_id, .fd = -1 };
	char line[1024], *text;
	json_t *a;
	const char *name;

	snprintf(line, sizeof(line),
		 "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"%s\",\"params\":%s}",
		 method, params);
	text = sl_ctl_handle(&ctl, line, strlen(line), conn_id ? &peer : NULL);
	assert_non_null(text);
	a = json_loads(text, 0, NULL);
	free(text);
	name = json_object_get(a, "error") ?
		sl_error_name((int)json_integer_value(json_object_get(
			json_object_get(a, "error"), "code"))) : "OK";
	json_decref(a);
	return name;
}

/* The call must fail with code and a message containing needle. */
static void
expect_error(const char *method, const char *params, int code,
	     const char *needle)
{
	json_t *a = rpc(method, params), *e = json_object_get(a, "error");
	const char *msg;

	if (!e)
		fail_msg("%s %s succeeded, expected error %d", method, params, code);
	msg = json_string_value(json_object_get(e, "message"));
	if (json_integer_value(json_object_get(e, "code")) != code ||
	    !strstr(msg, needle))
		fail_msg("%s %s: got %lld '%s', expected %d '%s'", method, params,
			 (long long)json_integer_value(json_object_get(e, "code")),
			 msg, code, needle);
	/* every error has one shape: a code, its name and a sentence */
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(e, "data"), "name")),
			    sl_error_name(code));
	json_decref(a);
}

/* The call must succeed; returns its result (caller owns it). */
static json_t *
ok(const char *method, const char *params)
{
	json_t *a = rpc(method, params), *r;

	if (json_object_get(a, "error"))
		fail_msg("%s %s: %s", method, params,
			 json_string_value(json_object_get(
				 json_object_get(a, "error"), "message")));
	r = json_incref(json_object_get(a, "result"));
	json_decref(a);
	return r;
}

/* A command on one object (uuid=) must succeed. */
static void
ok_on(const char *method, const char *uuid)
{
	char p[128];

	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", uuid);
	json_decref(ok(method, p));
}

static char *
ok_uuid(const char *method, const char *params)
{
	json_t *r = ok(method, params);
	char *u = strdup(json_string_value(r));

	json_decref(r);
	return u;
}

static void
test_envelope(void **state)
{
	char *t;
	json_t *a;

	(void)state;
	t = sl_ctl_handle(&ctl, "{not json", 9, NULL);
	a = json_loads(t, 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(a, "error"), "code")),
			 SLUICE_RPC_PARSE_ERROR);
	json_decref(a);
	free(t);
	t = sl_ctl_handle(&ctl, "[1,2]", 5, NULL);
	assert_non_null(strstr(t, "-32600"));
	free(t);
	t = sl_ctl_handle(&ctl, "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"status\"}", 42, NULL);
	assert_non_null(strstr(t, "-32600"));
	free(t);
	/* a notification gets no answer, even to an error */
	assert_null(sl_ctl_handle(&ctl, "{\"jsonrpc\":\"2.0\",\"method\":\"status\"}", 35, NULL));
	expect_error("no-such-command", NULL, SLUICE_RPC_METHOD_NOT_FOUND,
		     "unknown command 'no-such-command'");
	expect_error("status", "[1]", SL_E_INVALID_VALUE, "params must be an object");
	expect_error("network-create", "{\"name-label\": [1]}", SL_E_INVALID_VALUE,
		     "name-label: values are strings, numbers or booleans");
	/* numbers and booleans read as their text */
	json_decref(ok("network-list", "{\"MTU\": 1500}"));
}

static void
test_network_arguments(void **state)
{
	char *uuid;
	json_t *r;

	(void)state;
	expect_error("network-create", NULL, SL_E_MISSING_PARAMETER, "name-label:");
	expect_error("network-create", "{\"name-label\":\"a\",\"colour\":\"red\"}",
		     SL_E_UNKNOWN_PARAMETER, "colour: network-create takes no such parameter");
	expect_error("network-create", "{\"name-label\":\"a\",\"MTU\":\"67\"}",
		     SL_E_INVALID_VALUE, "MTU: '67' is not a whole number in 68..9216");
	expect_error("network-create", "{\"name-label\":\"a\",\"MTU\":\"15x\"}",
		     SL_E_INVALID_VALUE, "MTU: '15x'");
	expect_error("network-create", "{\"name-label\":\"a\",\"bridge\":\"bad name\"}",
		     SL_E_INVALID_VALUE, "bridge: 'bad name' is not a bridge name");
	expect_error("network-create", "{\"name-label\":\"a\\nb\"}",
		     SL_E_INVALID_VALUE, "name-label: control characters");
	expect_error("network-create", "{\"name-label\":\"a\",\"other-config:\":\"x\"}",
		     SL_E_INVALID_VALUE, "other-config:KEY=VALUE");
	uuid = ok_uuid("network-create",
		       "{\"name-label\":\"lab\",\"bridge\":\"br-lab\",\"MTU\":\"9000\","
		       "\"other-config:owner\":\"ops\"}");
	expect_error("network-create", "{\"name-label\":\"b\",\"bridge\":\"br-lab\"}",
		     SL_E_BRIDGE_ALREADY_EXISTS, "bridge: network bridge br-lab already exists");

	char p[512];

	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"other-config\",\"param-key\":\"owner\"}", uuid);
	r = ok("network-param-get", p);
	assert_string_equal(json_string_value(r), "ops");
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"colour\"}", uuid);
	expect_error("network-param-get", p, SL_E_UNKNOWN_PARAMETER, "param-name: there is no field 'colour'");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"MTU\",\"param-key\":\"x\"}", uuid);
	expect_error("network-param-get", p, SL_E_INVALID_VALUE, "field 'MTU' is not a map");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"bridge\":\"other\"}", uuid);
	expect_error("network-param-set", p, SL_E_FIELD_READ_ONLY, "bridge:");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"MTU\":\"70000\",\"name-label\":\"new\"}", uuid);
	expect_error("network-param-set", p, SL_E_INVALID_VALUE, "MTU:");
	/* nothing changed by the refused set */
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"name-label\"}", uuid);
	r = ok("network-param-get", p);
	assert_string_equal(json_string_value(r), "lab");
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"name-label\",\"param-key\":\"x\"}", uuid);
	expect_error("network-param-remove", p, SL_E_INVALID_VALUE,
		     "param-name: only other-config has keys to remove");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"other-config\",\"param-key\":\"owner\"}", uuid);
	json_decref(ok("network-param-remove", p));
	expect_error("network-param-get", p, SL_E_INVALID_VALUE, "other-config has no key 'owner'");

	expect_error("network-destroy", NULL, SL_E_MISSING_PARAMETER, "uuid:");
	expect_error("network-destroy", "{\"uuid\":\"x\"}", SL_E_INVALID_VALUE, "uuid: 'x' is not a UUID");
	expect_error("network-destroy", "{\"uuid\":\"00000000-0000-4000-8000-000000000000\"}",
		     SL_E_HANDLE_INVALID, "uuid: no network has uuid 00000000");
	expect_error("network-list", "{\"colour\":\"x\"}", SL_E_UNKNOWN_PARAMETER,
		     "colour: there is no such field");
	expect_error("network-list", "{\"params\":\"uuid,colour\"}", SL_E_UNKNOWN_PARAMETER,
		     "params: there is no field 'colour'");
	r = ok("network-list", "{\"bridge\":\"br-lab\",\"params\":\"uuid,MTU\"}");
	assert_int_equal(json_array_size(r), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 0), "MTU")), 9000);
	assert_null(json_object_get(json_array_get(r, 0), "bridge"));
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", uuid);
	json_decref(ok("network-destroy", p));
	free(uuid);
}

static void
test_pif_arguments_and_invariants(void **state)
{
	char p[1024], *net, *pif, *pif2;
	json_t *r;

	(void)state;
	expect_error("pif-introduce", "{\"devargs\":\"net_null\"}", SL_E_MISSING_PARAMETER, "device:");
	expect_error("pif-introduce", "{\"device\":\"eth0\"}", SL_E_MISSING_PARAMETER, "devargs:");
	expect_error("pif-introduce", "{\"device\":\"eth 0\",\"devargs\":\"net_null\"}",
		     SL_E_INVALID_VALUE, "device: 'eth 0' is not a device name");
	expect_error("pif-introduce", "{\"device\":\"eth0\",\"devargs\":\"a b\"}",
		     SL_E_INVALID_VALUE, "devargs: DPDK devargs may not contain spaces");
	expect_error("pif-introduce", "{\"device\":\"eth0\",\"devargs\":\"net_null\",\"mac\":\"zz\"}",
		     SL_E_MAC_INVALID, "mac: 'zz' is not a MAC address");
	expect_error("pif-introduce", "{\"device\":\"eth0\",\"devargs\":\"net_null\","
		     "\"network-uuid\":\"00000000-0000-4000-8000-000000000000\"}",
		     SL_E_HANDLE_INVALID, "network-uuid: no network has uuid");
	expect_error("pif-introduce", "{\"device\":\"eth0\",\"devargs\":\"net_null\","
		     "\"other-config:ethtool-lro\":\"on\"}",
		     SL_E_OFFLOAD_NOT_SUPPORTED, "other-config:ethtool-lro=on");
	expect_error("pif-introduce", "{\"device\":\"eth0\",\"devargs\":\"net_null\","
		     "\"other-config:ethtool-tx\":\"maybe\"}",
		     SL_E_INVALID_VALUE, "ethtool-tx: 'maybe' is not on or off");
	/* nothing half-made by the refusals: no network appeared */
	r = ok("network-list", NULL);
	assert_int_equal(json_array_size(r), 0);
	json_decref(r);

	/* without a network, XCP-ng's: xenbrN after ethN */
	pif = ok_uuid("pif-introduce", "{\"device\":\"eth3\",\"devargs\":\"net_null,no-rx=1\"}");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"bridge\"}", pif);
	r = ok("pif-param-get", p);
	assert_string_equal(json_string_value(r), "xenbr3");
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"currently-attached\"}", pif);
	r = ok("pif-param-get", p);
	assert_true(json_is_false(r));	/* introduced, not plugged */
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"network-uuid\"}", pif);
	r = ok("pif-param-get", p);
	net = strdup(json_string_value(r));
	json_decref(r);
	/* a device is not introduced twice */
	expect_error("pif-introduce", "{\"device\":\"eth3\",\"devargs\":\"net_null\"}",
		     SL_E_DEVICE_ALREADY_EXISTS, "a PIF with device eth3 already exists");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", pif);
	json_decref(ok("pif-plug", p));
	json_decref(ok("pif-plug", p));	/* plugging twice is harmless */
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"currently-attached\"}", pif);
	r = ok("pif-param-get", p);
	assert_true(json_is_true(r));
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"devargs\":\"net_null\"}", pif);
	expect_error("pif-param-set", p, SL_E_OPERATION_NOT_ALLOWED, "devargs: eth3 is plugged");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"MAC\":\"02:00:00:00:00:01\"}", pif);
	expect_error("pif-param-set", p, SL_E_FIELD_READ_ONLY, "MAC: this field is read-only");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"management\":\"yes\"}", pif);
	expect_error("pif-param-set", p, SL_E_INVALID_VALUE, "management: 'yes' is not true or false");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"other-config:ethtool-tso\":\"on\"}", pif);
	expect_error("pif-param-set", p, SL_E_OFFLOAD_NOT_SUPPORTED,
		     "the net_null PMD of net_null_pif_eth3 cannot offload TCP_TSO");
	/* the refused offload left the port as it was: plugged */
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"currently-attached\"}", pif);
	r = ok("pif-param-get", p);
	assert_true(json_is_true(r));
	json_decref(r);

	/* destroying a network with ports is refused */
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", net);
	expect_error("network-destroy", p, SL_E_NETWORK_CONTAINS_PIF, "still has 1 PIF(s)");

	/* the management PIF cannot be unplugged or forgotten, and is unique */
	snprintf(p, sizeof(p), "{\"device\":\"eth4\",\"devargs\":\"net_null,no-rx=1\",\"network-uuid\":\"%s\"}", net);
	pif2 = ok_uuid("pif-introduce", p);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"management\":\"true\"}", pif);
	json_decref(ok("pif-param-set", p));
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"management\":\"true\"}", pif2);
	json_decref(ok("pif-param-set", p));
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"management\"}", pif);
	r = ok("pif-param-get", p);
	assert_true(json_is_false(r));
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", pif2);
	expect_error("pif-unplug", p, SL_E_PIF_IS_MANAGEMENT_INTERFACE, "is the management interface");
	expect_error("pif-forget", p, SL_E_PIF_IS_MANAGEMENT_INTERFACE, "is the management interface");

	/* network reset: PIFs go, the network stays */
	r = ok("reset-networking", NULL);
	assert_int_equal(json_integer_value(json_object_get(r, "PIFs-removed")), 2);
	json_decref(r);
	r = ok("pif-list", NULL);
	assert_int_equal(json_array_size(r), 0);
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", net);
	json_decref(ok("network-destroy", p));
	free(net);
	free(pif);
	free(pif2);
}

static void
test_vif_arguments(void **state)
{
	char p[1024], *net, *net2, *vif;
	json_t *r;

	(void)state;
	net = ok_uuid("network-create", "{\"name-label\":\"a\"}");
	net2 = ok_uuid("network-create", "{\"name-label\":\"b\",\"MTU\":\"9000\"}");
	expect_error("vif-create", "{\"mac\":\"02:00:00:00:00:01\",\"device\":\"0\",\"devargs\":\"net_null\"}",
		     SL_E_MISSING_PARAMETER, "network-uuid:");
	snprintf(p, sizeof(p), "{\"network-uuid\":\"%s\",\"device\":\"0\",\"devargs\":\"net_null\"}", net);
	expect_error("vif-create", p, SL_E_MISSING_PARAMETER, "mac:");
	snprintf(p, sizeof(p), "{\"network-uuid\":\"%s\",\"mac\":\"ff:ff:ff:ff:ff:ff\",\"device\":\"0\",\"devargs\":\"net_null\"}", net);
	expect_error("vif-create", p, SL_E_MAC_INVALID, "is a multicast address");
	snprintf(p, sizeof(p), "{\"network-uuid\":\"%s\",\"mac\":\"02:00:00:00:00:01\",\"device\":\"vif1.0\",\"devargs\":\"net_null,no-rx=1\"}", net);
	vif = ok_uuid("vif-create", p);
	snprintf(p, sizeof(p), "{\"network-uuid\":\"%s\",\"mac\":\"02:00:00:00:00:01\",\"device\":\"vif2.0\",\"devargs\":\"net_null\"}", net);
	expect_error("vif-create", p, SL_E_MAC_INVALID, "is already the MAC of VIF");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", vif);
	json_decref(ok("vif-plug", p));
	expect_error("vif-destroy", p, SL_E_OPERATION_NOT_ALLOWED, "vif-unplug it first");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", net);
	expect_error("network-destroy", p, SL_E_NETWORK_CONTAINS_VIF, "still has 1 VIF(s)");
	/* a plugged VIF moves to a network and takes its MTU */
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"network-uuid\":\"%s\"}", vif, net2);
	json_decref(ok("vif-move", p));
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"params\":\"MTU,network-uuid\"}", vif);
	r = ok("vif-list", p);
	assert_int_equal(json_array_size(r), 1);
	assert_int_equal(json_object_size(json_array_get(r, 0)), 2);
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", vif);
	r = ok("vif-param-list", p);
	assert_int_equal(json_integer_value(json_object_get(r, "MTU")), 9000);
	assert_true(json_is_true(json_object_get(r, "currently-attached")));
	assert_string_equal(json_string_value(json_object_get(r, "network-uuid")), net2);
	json_decref(r);
	/* the VIF's MAC is in the FDB of its new network only */
	r = ok("fdb-show", "{\"bridge\":\"xapi1\"}");
	assert_int_equal(json_array_size(r), 1);
	assert_true(json_is_true(json_object_get(json_array_get(r, 0), "static")));
	json_decref(r);
	r = ok("fdb-show", "{\"bridge\":\"xapi0\"}");
	assert_int_equal(json_array_size(r), 0);
	json_decref(r);
	expect_error("fdb-show", "{\"bridge\":\"nope\"}", SL_E_HANDLE_INVALID, "bridge: no network has bridge nope");
	/* fdb-flush keeps VIF MACs */
	r = ok("fdb-flush", NULL);
	assert_int_equal(json_integer_value(json_object_get(r, "flushed")), 0);
	json_decref(r);
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", vif);
	json_decref(ok("vif-unplug", p));
	json_decref(ok("vif-destroy", p));
	expect_error("vif-param-list", p, SL_E_HANDLE_INVALID, "no VIF has uuid");
	ok_on("network-destroy", net);
	ok_on("network-destroy", net2);
	free(net);
	free(net2);
	free(vif);
}

static void
test_failed_plug_stays_unplugged(void **state)
{
	char p[512], *pif;
	json_t *r;

	(void)state;
	pif = ok_uuid("pif-introduce", "{\"device\":\"eth7\",\"devargs\":\"net_af_packet,iface=no-such-if\"}");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", pif);
	expect_error("pif-plug", p, SL_E_ATTACH_FAILED,
		     "PIF eth7 cannot be attached: network interface 'no-such-if' does not exist");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\",\"param-name\":\"currently-attached\"}", pif);
	r = ok("pif-param-get", p);
	assert_true(json_is_false(r));
	json_decref(r);
	/* PCI needs the EAL started with it */
	json_decref(ok("reset-networking", NULL));
	free(pif);
	pif = ok_uuid("pif-introduce", "{\"device\":\"eth8\",\"devargs\":\"0000:03:00.0\"}");
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", pif);
	expect_error("pif-plug", p, SL_E_ATTACH_FAILED,
		     "this sluiced runs without PCI (no PCI PIF in its state file at start-up)");
	json_decref(ok("reset-networking", NULL));
	free(pif);
}

static const struct sl_command *const core_handler_tables[] = {
	sl_network_handlers, sl_pif_handlers, sl_vif_handlers,
	sl_vlan_handlers, sl_host_handlers, NULL,
};

static void
test_help_and_commands(void **state)
{
	json_t *r;
	size_t n = 0;

	(void)state;
	r = ok("list-commands", NULL);
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++)
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++, n++) {
			struct sl_command_ref ref;

			assert_string_equal(json_string_value(json_array_get(r, n)), c->name);
			assert_true(strlen(c->help) > 10);
			/* every declared command has a handler ... */
			assert_true(sl_command_find(sl_features, c->name, &ref));
			assert_ptr_equal(ref.spec, c);
			for (const struct sl_param_spec *p = c->params; p->name; p++) {
				assert_true(strlen(p->help) > 5);
				/* a read-only field is refused, never required */
				assert_false((p->flags & SL_PARAM_READ_ONLY) &&
					     (p->flags & SL_PARAM_REQUIRED));
			}
			/* its usage line fits the buffers help prints from */
			{
				char usage[1024];

				assert_true(sl_command_usage(c, usage, sizeof(usage)) <
					    sizeof(usage));
			}
		}
	/* ... and every handler a declaration, the core's and each
	 * feature's */
	for (const struct sl_command *const *t = core_handler_tables; *t; t++)
		for (const struct sl_command *c = *t; c->name; c++)
			assert_non_null(sl_command_spec_find(c->name));
	SL_FEATURE_FOREACH(f, sl_features) {
		for (const struct sl_command *c = (*f)->handlers; c && c->name; c++)
			assert_non_null(sl_command_spec_find(c->name));
		/* a feature's hooks come in the pairs the core calls */
		assert_non_null((*f)->name);
		assert_true(!(*f)->pif_key || ((*f)->load_pif && (*f)->save_pif));
		assert_true(!(*f)->state_key || ((*f)->load_state && (*f)->save_state));
		for (const struct sl_feature *const *g = sl_features; g != f; g++)
			assert_string_not_equal((*g)->name, (*f)->name);
	}
	assert_int_equal(json_array_size(r), n);
	json_decref(r);
	r = ok("help", "{\"command\":\"pif-plug\"}");
	assert_string_equal(json_string_value(json_object_get(r, "usage")), "uuid=<PIF>");
	json_decref(r);
	/* a read-only field is in help as such, and out of the usage line */
	r = ok("help", "{\"command\":\"network-param-set\"}");
	assert_null(strstr(json_string_value(json_object_get(r, "usage")), "bridge="));
	{
		json_t *p;
		size_t i;
		bool seen = false;

		json_array_foreach(json_object_get(r, "params"), i, p)
			if (strcmp(json_string_value(json_object_get(p, "name")), "bridge") == 0)
				seen = json_is_true(json_object_get(p, "read-only"));
		assert_true(seen);
	}
	json_decref(r);
	expect_error("help", "{\"command\":\"nope\"}", SL_E_INVALID_VALUE, "there is no command 'nope'");
	expect_error("status", "{\"verbose\":\"1\"}", SL_E_UNKNOWN_PARAMETER, "verbose:");
}

/* The params of a call of c: every required parameter but skip, "x" for
 * each, and uuid= if given. */
static char *
required_params(const struct sl_command_spec *c, const char *skip,
		const char *uuid)
{
	json_t *o = json_object();
	char *text;

	for (const struct sl_param_spec *p = c->params; p->name; p++)
		if ((p->flags & SL_PARAM_REQUIRED) && strcmp(p->name, skip) != 0)
			json_object_set_new(o, p->name, json_string("x"));
	if (uuid)
		json_object_set_new(o, "uuid", json_string(uuid));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

/* c with uuid= and its other required parameters fails on the uuid. */
static void
check_uuid(const struct sl_command_spec *c, const char *uuid, int code,
	   const char *needle)
{
	char *params = required_params(c, "uuid", uuid);

	expect_error(c->name, params, code, needle);
	free(params);
}

/* Every command refuses a parameter it does not take, by name, and every
 * command about one object wants its uuid. Driven by the command table, so
 * a new command is covered the day it is added. */
static void
test_every_command_checks_its_arguments(void **state)
{
	(void)state;
	for (const struct sl_command_group *const *g = sl_command_groups; *g; g++) {
		for (const struct sl_command_spec *c = (*g)->commands; c->name; c++) {
			bool takes_uuid = false;

			if (c->flags & SL_CMD_PLUGIN) {
				/* as the plugin: the key is not read, the
				 * missing bridge is what is told */
				expect_error(c->name, "{\"no-such-argument\":\"1\"}",
					     SL_E_RULE_PARAMETER_INVALID,
					     "Failed to get parameters: bridge parameter is missing");
				continue;
			}
			expect_error(c->name, "{\"no-such-argument\":\"1\"}",
				     SL_E_UNKNOWN_PARAMETER, "no-such-argument:");
			for (const struct sl_param_spec *p = c->params; p->name; p++)
				takes_uuid |= strcmp(p->name, "uuid") == 0;
			/* what the table says is required is required: each
			 * one missing, the others given, is named */
			for (const struct sl_param_spec *p = c->params; p->name; p++) {
				char what[96], *params;

				if (!(p->flags & SL_PARAM_REQUIRED))
					continue;
				params = required_params(c, p->name, NULL);
				snprintf(what, sizeof(what), "%s: this parameter is required",
					 p->name);
				expect_error(c->name, params, SL_E_MISSING_PARAMETER, what);
				free(params);
			}
			if (!takes_uuid)
				continue;
			expect_error(c->name, "{}", SL_E_MISSING_PARAMETER, "uuid:");
			check_uuid(c, "not-a-uuid", SL_E_INVALID_VALUE,
				   "uuid: 'not-a-uuid' is not a UUID");
			check_uuid(c, "00000000-0000-4000-8000-000000000000",
				   SL_E_HANDLE_INVALID, "has uuid 00000000");
		}
	}
}

/* The field lists filters are checked against are the records' fields. */
static void
test_field_lists_match_records(void **state)
{
	const char *pif_fields[SL_RECORD_MAX_FIELDS], *vif_fields[SL_RECORD_MAX_FIELDS];
	const char *const *lists[] = { sl_network_fields, pif_fields, vif_fields };
	const char *kinds[] = { "network", "pif", "vif" };
	char *net, *pif, *vif, p[512];

	(void)state;
	/* the core's fields and every feature's */
	sl_endpoint_fields(sl_features, false, pif_fields, SL_RECORD_MAX_FIELDS);
	sl_endpoint_fields(sl_features, true, vif_fields, SL_RECORD_MAX_FIELDS);
	net = ok_uuid("network-create", "{\"name-label\":\"f\"}");
	snprintf(p, sizeof(p), "{\"device\":\"eth9\",\"devargs\":\"net_null\",\"network-uuid\":\"%s\"}", net);
	pif = ok_uuid("pif-introduce", p);
	snprintf(p, sizeof(p), "{\"device\":\"v\",\"devargs\":\"net_null\",\"mac\":\"02:00:00:00:00:31\",\"network-uuid\":\"%s\"}", net);
	vif = ok_uuid("vif-create", p);
	for (int k = 0; k < 3; k++) {
		char method[32];
		json_t *r, *rec;
		size_t n = 0;

		snprintf(method, sizeof(method), "%s-list", kinds[k]);
		r = ok(method, NULL);
		rec = json_array_get(r, 0);
		for (const char *const *f = lists[k]; *f; f++, n++)
			assert_non_null(json_object_get(rec, *f));
		assert_int_equal(json_object_size(rec), n);
		json_decref(r);
		/* and an unknown filter is refused even when nothing matches */
		expect_error(method, "{\"uuid\":\"x\",\"colour\":\"x\"}",
			     SL_E_UNKNOWN_PARAMETER, "colour: there is no such field");
	}
	json_decref(ok("reset-networking", NULL));
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", vif);
	json_decref(ok("vif-destroy", p));
	snprintf(p, sizeof(p), "{\"uuid\":\"%s\"}", net);
	json_decref(ok("network-destroy", p));
	free(net);
	free(pif);
	free(vif);
}

/* The old process's side of a takeover: a bad request changes nothing;
 * the first good one begins it; then one connection only, and no change
 * of the state, until that connection goes: its port is taken back. */
static void
test_takeover_release(void **state)
{
	char *net, *pif, p[512];
	struct sl_endpoint *ep;

	(void)state;
	net = ok_uuid("network-create", "{\"name-label\":\"to\"}");
	snprintf(p, sizeof(p), "{\"device\":\"to0\",\"devargs\":\"net_null\",\"network-uuid\":\"%s\"}", net);
	pif = ok_uuid("pif-introduce", p);
	ok_on("pif-plug", pif);
	ep = sl_model_endpoint_find(model, pif, false);
	assert_non_null(ep);
	assert_int_not_equal(ep->port_id, SL_PORT_NONE);
	expect_error("takeover-release", "{\"generation\":\"x\",\"change\":\"0\"}",
		     SL_E_INVALID_VALUE, "generation: 'x' is not a whole number");
	expect_error("takeover-release", "{\"generation\":\"0\",\"change\":\"0\",\"port\":\"nope\"}",
		     SL_E_INVALID_VALUE, "port: 'nope' is not a UUID");
	snprintf(p, sizeof(p), "{\"generation\":\"0\",\"change\":\"0\",\"port\":\"%s\"}", net);
	expect_error("takeover-release", p, SL_E_HANDLE_INVALID, "port: no PIF or VIF has uuid");
	assert_false(ctl.takeover.active);

	snprintf(p, sizeof(p), "{\"generation\":\"0\",\"change\":\"0\",\"port\":\"%s\"}", pif);
	assert_string_equal(as_peer(1, "takeover-release", p), "OK");
	assert_true(ctl.takeover.active && ep->handed_over);
	assert_int_equal(ep->port_id, SL_PORT_NONE);
	assert_string_equal(as_peer(1, "takeover-release", p), "OK");	/* again: no-op */
	assert_string_equal(as_peer(2, "takeover-release", p), "TAKEOVER_BUSY");
	assert_string_equal(as_peer(0, "takeover-release", p), "TAKEOVER_BUSY");
	assert_string_equal(as_peer(2, "network-create", "{\"name-label\":\"x\"}"),
			    "TAKEOVER_IN_PROGRESS");
	assert_string_equal(as_peer(2, "status", "{}"), "OK");	/* reads go on */

	sl_ctl_peer_gone(&ctl, 2);		/* not the takeover's */
	assert_true(ctl.takeover.active);
	sl_ctl_peer_gone(&ctl, 1);
	assert_false(ctl.takeover.active || ep->handed_over);
	assert_int_not_equal(ep->port_id, SL_PORT_NONE);	/* attached again */

	ok_on("pif-forget", pif);
	ok_on("network-destroy", net);
	free(net);
	free(pif);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_envelope),
		cmocka_unit_test(test_network_arguments),
		cmocka_unit_test(test_pif_arguments_and_invariants),
		cmocka_unit_test(test_vif_arguments),
		cmocka_unit_test(test_failed_plug_stays_unplugged),
		cmocka_unit_test(test_help_and_commands),
		cmocka_unit_test(test_every_command_checks_its_arguments),
		cmocka_unit_test(test_field_lists_match_records),
		cmocka_unit_test(test_takeover_release),
	};
	struct sl_err err = { 0 };
	int rc;

	if (sl_test_eal_init_lcores("test-commands", "0@0,1@0") < 0)
		return 1;
	model = sl_model_new(sl_features);
	opt.socket_path = "/nonexistent/test.sock";
	snprintf(eal.file_prefix, sizeof(eal.file_prefix), "test");
	eal.nb_workers = 1;
	if (sl_runtime_init(&rt, model, sl_features, 1, 8191, false, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	sl_runtime_apply(&rt);
	ctl = (struct sl_ctl){ .rt = &rt, .model = model,
			       .host = { .socket_path = opt.socket_path,
					 .state_path = opt.state_path,
					 .eal_file_prefix = eal.file_prefix,
					 .hugepages = eal.hugepages } };
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	sl_runtime_fini(&rt);
	rte_mempool_free(rt.pool);
	sl_model_free(model);
	return rc;
}
