/* SPDX-License-Identifier: BSD-3-Clause */
/* The object model and the state file: validation, invariants, and a state
 * that survives save and load unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cmocka.h>

#include "model.h"
#include "sl_features.h"
#include "sriov_model.h"
#include "state.h"
#include "state_loader.h"

static const char *const NET = "11111111-1111-4111-8111-111111111111";

static const char full_state[] =
	"{\"sluice-state\": 1,"
	" \"settings\": {\"fdb-aging-time\": 60, \"fdb-max-entries\": 4096},"
	" \"networks\": [{\"uuid\": \"11111111-1111-4111-8111-111111111111\","
	"   \"name-label\": \"Pool-wide\", \"name-description\": \"d\","
	"   \"bridge\": \"xenbr0\", \"MTU\": 9000,"
	"   \"other-config\": {\"k\": \"v\"}}],"
	" \"pifs\": [{\"uuid\": \"22222222-2222-4222-8222-222222222222\","
	"   \"device\": \"eth0\", \"devargs\": \"0000:03:00.0\","
	"   \"MAC\": \"02:00:00:00:00:aa\","
	"   \"network-uuid\": \"11111111-1111-4111-8111-111111111111\","
	"   \"VLAN\": -1, \"management\": true, \"MTU\": 9000,"
	"   \"currently-attached\": false, \"other-config\": {}}],"
	" \"vifs\": [{\"uuid\": \"33333333-3333-4333-8333-333333333333\","
	"   \"device\": \"vif1.0\", \"devargs\": \"net_vhost,iface=/run/vm1\","
	"   \"MAC\": \"02:00:00:00:00:01\","
	"   \"network-uuid\": \"11111111-1111-4111-8111-111111111111\","
	"   \"MTU\": 1500, \"currently-attached\": true, \"other-config\": {}}]}";

static struct sl_model *
load(const char *text, struct sl_err *err)
{
	json_error_t je;
	json_t *root = json_loads(text, 0, &je);
	struct sl_model *m = sl_model_new(sl_features);
	int rc;

	assert_non_null(root);
	rc = sl_state_from_json(m, sl_features, root, err);
	json_decref(root);
	if (rc < 0) {
		sl_model_free(m);
		return NULL;
	}
	return m;
}

static void
test_round_trip(void **state)
{
	struct sl_err err = { 0 };
	struct sl_model *m = load(full_state, &err), *again;
	json_t *first, *second;
	char *text;

	(void)state;
	assert_non_null(m);
	assert_int_equal(m->settings.fdb_aging_s, 60);
	first = sl_state_to_json(m, sl_features);
	text = json_dumps(first, 0);
	again = load(text, &err);
	assert_non_null(again);
	second = sl_state_to_json(again, sl_features);
	assert_true(json_equal(first, second));
	/* and what was loaded is what the text said */
	json_t *orig = json_loads(full_state, 0, NULL);

	assert_true(json_equal(json_object_get(first, "pifs"),
			       json_object_get(orig, "pifs")));
	assert_true(json_equal(json_object_get(first, "vifs"),
			       json_object_get(orig, "vifs")));
	assert_true(json_equal(json_object_get(first, "networks"),
			       json_object_get(orig, "networks")));
	json_decref(orig);
	free(text);
	json_decref(first);
	json_decref(second);
	sl_model_free(m);
	sl_model_free(again);
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Whether a start may read the state beside the EAL's (state_loader.h):
 * told from every "devargs" value of the state file and its journal, and
 * true whenever that cannot be told plainly. */
static void
test_may_need_pci(void **state)
{
	static const struct { const char *state, *journal; bool pci; } cases[] = {
		{ NULL, NULL, false },	/* neither file */
		{ "{\"pifs\": [{\"devargs\": \"net_af_packet,iface=eth1\"}]}", NULL, false },
		{ "{\"pifs\": [{\"devargs\": \"0000:03:00.0\"}]}", NULL, true },
		{ "{\"pifs\":[{\"devargs\" :\n \"0000:03:00.1,txq_inline=0\"}]}", NULL, true },
		{ "{\"pifs\": [{\"devargs\": \"net_null\"}]}",
		  "{\"pifs\": [{\"devargs\": \"0000:03:00.0\"}]}\n", true },
		/* an escape in the value: not read by hand */
		{ "{\"pifs\": [{\"devargs\": \"net_\\u0070cap\"}]}", NULL, true },
		/* not a string */
		{ "{\"pifs\": [{\"devargs\": 7}]}", NULL, true },
		/* the word as a value, or inside one: no devargs */
		{ "{\"name-label\": \"devargs\", \"x\": \"\\\"devargs\\\": 0000:03:00.0\"}", NULL, false },
	};
	char dir[] = "/tmp/sl-test-loader-XXXXXX", path[64], journal[80];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	snprintf(journal, sizeof(journal), "%s.journal", path);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unlink(path);
		unlink(journal);
		if (cases[i].state)
			write_text(path, cases[i].state);
		if (cases[i].journal)
			write_text(journal, cases[i].journal);
		if (sl_state_may_need_pci(path) != cases[i].pci)
			fail_msg("case %zu: expected %d", i, cases[i].pci);
	}
	/* a file that cannot be read: the serial start says why */
	unlink(journal);
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_true(sl_state_may_need_pci(path));
	rmdir(path);
	rmdir(dir);
}

static void
test_save_and_load_file(void **state)
{
	char dir[] = "/tmp/sl-test-state-XXXXXX", path[64];
	struct sl_err err = { 0 };
	struct sl_model *m = load(full_state, &err), *back = sl_model_new(sl_features);
	json_t *a, *b;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	assert_int_equal(sl_state_load(back, sl_features, path, &err), 1);	/* absent */
	assert_int_equal(sl_state_save(m, sl_features, path, &err), 0);
	assert_int_equal(sl_state_load(back, sl_features, path, &err), 0);
	a = sl_state_to_json(m, sl_features);
	b = sl_state_to_json(back, sl_features);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	/* no temporary file is left behind */
	char tmp[80];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(access(tmp, F_OK), -1);
	unlink(path);
	rmdir(dir);
	sl_model_free(m);
	sl_model_free(back);
}

static void
expect_load_error(const char *text, const char *needle)
{
	struct sl_err err = { 0 };

	assert_null(load(text, &err));
	assert_int_equal(err.code, SL_E_STATE_FILE_INVALID);
	if (!strstr(err.msg, needle))
		fail_msg("'%s' not in '%s'", needle, err.msg);
}

/* An SR-IOV network with a VLAN on it and a VF VIF on each: the logical
 * PIF after its PF, the VLAN after it, the VIFs' VF indexes. */
static const char sriov_state[] =
	"{\"sluice-state\": 1,"
	" \"networks\": ["
	"  {\"uuid\": \"11111111-1111-4111-8111-111111111111\", \"bridge\": \"xenbr0\"},"
	"  {\"uuid\": \"11111111-1111-4111-8111-111111111112\", \"bridge\": \"xapi0\"},"
	"  {\"uuid\": \"11111111-1111-4111-8111-111111111113\", \"bridge\": \"xapi1\"}],"
	" \"pifs\": ["
	"  {\"uuid\": \"22222222-2222-4222-8222-222222222221\", \"device\": \"eth1\","
	"   \"devargs\": \"net_af_packet,iface=eth1\","
	"   \"network-uuid\": \"11111111-1111-4111-8111-111111111111\"},"
	"  {\"uuid\": \"22222222-2222-4222-8222-222222222222\", \"device\": \"eth1\","
	"   \"network-uuid\": \"11111111-1111-4111-8111-111111111112\","
	"   \"sriov-logical-PIF-of\": \"44444444-4444-4444-8444-444444444444\","
	"   \"sriov-physical-PIF\": \"22222222-2222-4222-8222-222222222221\"},"
	"  {\"uuid\": \"22222222-2222-4222-8222-222222222223\", \"device\": \"eth1\","
	"   \"network-uuid\": \"11111111-1111-4111-8111-111111111113\", \"VLAN\": 7,"
	"   \"VLAN-master-of\": \"55555555-5555-4555-8555-555555555555\","
	"   \"tagged-PIF\": \"22222222-2222-4222-8222-222222222222\"}],"
	" \"vifs\": ["
	"  {\"uuid\": \"33333333-3333-4333-8333-333333333331\", \"device\": \"eth1vf0\","
	"   \"devargs\": \"\", \"MAC\": \"02:00:00:00:00:01\", \"VF\": 0,"
	"   \"network-uuid\": \"11111111-1111-4111-8111-111111111112\"},"
	"  {\"uuid\": \"33333333-3333-4333-8333-333333333332\", \"device\": \"eth1vf1\","
	"   \"devargs\": \"\", \"MAC\": \"02:00:00:00:00:02\", \"VF\": %d,"
	"   \"network-uuid\": \"11111111-1111-4111-8111-111111111113\"}]}";

static void
test_sriov_round_trip(void **state)
{
	struct sl_err err = { 0 };
	struct sl_model *m, *again;
	struct sl_sriov *s;
	struct sl_vif *v;
	json_t *first, *second;
	char text[4096], *dumped;
	uint16_t vlan = 0;

	(void)state;
	snprintf(text, sizeof(text), sriov_state, 1);
	m = load(text, &err);
	if (!m)
		fail_msg("%s", err.msg);
	s = TAILQ_FIRST(sl_sriovs(m));
	assert_non_null(s);
	assert_string_equal(s->physical->ep.uuid, "22222222-2222-4222-8222-222222222221");
	v = TAILQ_LAST(&m->vifs, sl_vif_list);
	assert_ptr_equal(sl_model_network_sriov(m, v->ep.network, &vlan), s);
	assert_int_equal(vlan, 7);
	assert_int_equal(sl_sriov_vf_index(v), 1);
	assert_false(v->ep.plugged);
	assert_int_equal(sl_model_sriov_vifs(m, s), 2);
	assert_ptr_equal(sl_model_sriov_vf_user(m, s, 1), v);
	assert_null(sl_model_sriov_vf_user(m, s, 2));
	first = sl_state_to_json(m, sl_features);
	dumped = json_dumps(first, 0);
	again = load(dumped, &err);
	assert_non_null(again);
	second = sl_state_to_json(again, sl_features);
	assert_true(json_equal(first, second));
	free(dumped);
	json_decref(first);
	json_decref(second);
	sl_model_free(again);
	sl_model_free(m);
	/* one VF, two VIFs */
	snprintf(text, sizeof(text), sriov_state, 0);
	expect_load_error(text, "VF 0 of eth1 is already VIF 33333333-3333-4333-8333-333333333331's");
	snprintf(text, sizeof(text), sriov_state, 999);
	expect_load_error(text, "999 is not a VF index");
}

/* A PIF and a VLAN on it, with the other-configs given. */
#define BAD_OC_STATE(pif_oc, vlan_oc)                                          \
	"{\"sluice-state\": 1, \"networks\": ["                                  \
	"{\"uuid\": \"11111111-1111-4111-8111-111111111111\", \"bridge\": \"a\"},"  \
	"{\"uuid\": \"11111111-1111-4111-8111-111111111112\", \"bridge\": \"b\"}]," \
	"\"pifs\": [{\"uuid\": \"22222222-2222-4222-8222-222222222221\","          \
	" \"device\": \"eth1\", \"devargs\": \"net_null0\","                       \
	" \"network-uuid\": \"11111111-1111-4111-8111-111111111111\","              \
	" \"other-config\": {" pif_oc "}},"                                        \
	"{\"uuid\": \"22222222-2222-4222-8222-222222222222\", \"device\": \"eth1\","\
	" \"network-uuid\": \"11111111-1111-4111-8111-111111111112\", \"VLAN\": 5,"  \
	" \"VLAN-master-of\": \"44444444-4444-4444-8444-444444444441\","            \
	" \"tagged-PIF\": \"22222222-2222-4222-8222-222222222221\","                \
	" \"other-config\": {" vlan_oc "}}]}"

static void
test_bad_files(void **state)
{
	(void)state;
	expect_load_error("{\"sluice-state\": 1, \"vlans\": []}", "vlans");
	expect_load_error("{\"sluice-state\": 1, \"networks\": {}}",
			  "networks: must be a list");
	expect_load_error("{\"sluice-state\": 1, \"networks\": [{\"bridge\": \"x\"}]}",
			  "networks[0]");
	expect_load_error("{\"sluice-state\": 1, \"networks\": [{\"uuid\": \"nope\","
			  " \"bridge\": \"x\"}]}", "'nope' is not a UUID");
	expect_load_error("{\"sluice-state\": 1, \"networks\": [{\"uuid\": \"11111111-1111-4111-8111-111111111111\","
			  " \"bridge\": \"x\", \"MTU\": 0}]}", "MTU: 0 is outside");
	expect_load_error("{\"sluice-state\": 1, \"settings\": {\"fdb-max-entries\": 1}}",
			  "fdb-max-entries 1");
	/* other-config as the model checks it: a feature's key (a PIF's
	 * static-neighbours), and a feature's or a VLAN's PIF too */
	expect_load_error(BAD_OC_STATE("\"static-neighbours\": \"10.0.0.1\"", "\"k\": \"v\""),
			  "is not IP/MAC");
	expect_load_error(BAD_OC_STATE("\"k\": \"v\"", "\"k\": 1"),
			  "other-config:k: values must be strings");
}

static struct sl_network *
add_net(struct sl_model *m, const char *bridge, struct sl_err *err)
{
	struct sl_network_spec spec = { .bridge = bridge };

	return sl_model_network_add(m, &spec, err);
}

static struct sl_vif *
add_vif(struct sl_model *m, const char *dev, const char *mac, const char *net,
	struct sl_err *err)
{
	struct sl_endpoint_spec spec = {
		.device = dev, .devargs = "net_null", .mac = mac,
		.network_uuid = net, .vlan = -1, .plugged = true,
	};

	memset(err, 0, sizeof(*err));
	return sl_model_vif_add(m, &spec, err);
}

static void
test_model_invariants(void **state)
{
	struct sl_model *m = sl_model_new(sl_features);
	struct sl_err err = { 0 };
	struct sl_network *a, *b, *c;
	struct sl_endpoint_spec pif = {
		.device = "eth0", .devargs = "net_null", .vlan = -1,
	};

	(void)state;
	a = add_net(m, NULL, &err);
	b = add_net(m, NULL, &err);
	assert_string_equal(a->bridge, "xapi0");	/* XAPI's naming */
	assert_string_equal(b->bridge, "xapi1");
	assert_int_equal(a->mtu, 1500);
	assert_int_equal(a->dp_id, 0);
	assert_int_equal(b->dp_id, 1);
	assert_int_equal(sl_model_dp_id_bound(m), 2);
	c = add_net(m, "xapi0", &err);
	assert_null(c);
	assert_int_equal(err.code, SL_E_BRIDGE_ALREADY_EXISTS);

	/* a VIF needs a MAC, unique in its network */
	assert_null(add_vif(m, "v1", NULL, a->uuid, &err));
	assert_int_equal(err.code, SL_E_MISSING_PARAMETER);
	assert_non_null(add_vif(m, "v1", "02:00:00:00:00:01", a->uuid, &err));
	assert_null(add_vif(m, "v2", "02:00:00:00:00:01", a->uuid, &err));
	assert_int_equal(err.code, SL_E_MAC_INVALID);
	assert_non_null(add_vif(m, "v2", "02:00:00:00:00:01", b->uuid, &err));
	assert_null(add_vif(m, "v1", "02:00:00:00:00:07", b->uuid, &err));
	assert_int_equal(err.code, SL_E_DEVICE_ALREADY_EXISTS);
	assert_null(add_vif(m, "v3", "01:00:5e:00:00:01", a->uuid, &err));
	assert_non_null(strstr(err.msg, "multicast"));
	assert_null(add_vif(m, "v3", "02:00:00:00:00:09", NET, &err));
	assert_int_equal(err.code, SL_E_HANDLE_INVALID);

	/* a PIF and a VIF may share a device name; two PIFs may not */
	pif.network_uuid = a->uuid;
	assert_non_null(sl_model_pif_add(m, &pif, &err));
	pif.device = "v1";
	assert_non_null(sl_model_pif_add(m, &pif, &err));
	memset(&err, 0, sizeof(err));
	assert_null(sl_model_pif_add(m, &pif, &err));
	assert_int_equal(err.code, SL_E_DEVICE_ALREADY_EXISTS);
	pif.device = "eth9";
	pif.vlan = 4095;
	memset(&err, 0, sizeof(err));
	assert_null(sl_model_pif_add(m, &pif, &err));
	assert_non_null(strstr(err.msg, "VLAN: 4095"));
	sl_model_free(m);
}

static void
test_checks(void **state)
{
	struct rte_ether_addr mac;
	struct sl_err err = { 0 };

	(void)state;
	assert_int_equal(sl_check_mac("MAC", "02:AB:cd:00:00:01", &mac, &err), 0);
	assert_int_equal(mac.addr_bytes[1], 0xab);
	assert_int_equal(sl_check_mac("MAC", "02ab.cd00.0001", &mac, &err), -1);
	assert_int_equal(err.code, SL_E_MAC_INVALID);
	assert_string_equal(err.msg,
			    "MAC: '02ab.cd00.0001' is not a MAC address (aa:bb:cc:dd:ee:ff)");
	memset(&err, 0, sizeof(err));
	assert_int_equal(sl_check_mac("MAC", "02:00:00:00:00:0g", &mac, &err), -1);
	assert_int_equal(sl_check_uuid("uuid", NET, &err), 0);
	assert_int_equal(sl_check_uuid("uuid", "11111111-1111-4111-8111-11111111111", &err), -1);
	assert_int_equal(sl_check_mtu("MTU", 68, &err), 0);
	assert_int_equal(sl_check_mtu("MTU", 9216, &err), 0);
	assert_int_equal(sl_check_mtu("MTU", 67, &err), -1);
	assert_int_equal(sl_check_device("device", "vif3.0", &err), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(sl_check_device("device", "a b", &err), -1);
	assert_string_equal(err.msg, "device: 'a b' is not a device name "
			    "(1..63 letters, digits, '_', '.', ':', '-')");
	assert_int_equal(sl_check_devargs("devargs", "net_pcap,rx_pcap=/a b", &err), -1);
	assert_int_equal(sl_check_bridge("bridge", "xenbr0", &err), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(sl_check_bridge("bridge", "a-very-long-bridge-name", &err), -1);
	assert_string_equal(err.msg, "bridge: 'a-very-long-bridge-name' is not a "
			    "bridge name (1..15 letters, digits, '_', '.', '-')");
	assert_int_equal(sl_check_text("name-label", "ok label", 64, &err), 0);
	assert_int_equal(sl_check_text("name-label", "bad\nlabel", 64, &err), -1);
}

static void
test_uuid_generation(void **state)
{
	char a[SL_UUID_LEN + 1], b[SL_UUID_LEN + 1];
	struct sl_err err = { 0 };

	(void)state;
	sl_uuid_generate(a);
	sl_uuid_generate(b);
	assert_int_equal(sl_check_uuid("uuid", a, &err), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(a[14], '4');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_save_and_load_file),
		cmocka_unit_test(test_may_need_pci),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_sriov_round_trip),
		cmocka_unit_test(test_model_invariants),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_uuid_generation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
