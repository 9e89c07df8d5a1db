/* bitsht: issue 12 through src/com over the COM fake (bitsht_fakebits.dll): the
 * SetCredentials pairs the COM backend really makes (C114), and the service going away
 * mid-run (item 5), each lost-service HRESULT ending as exit 5. */
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "com_fake_support.h"

#define BEHIND_PROXY "https://intranet.corp.example/behind-proxy.bin"

/* C114: the four SetCredentials calls of set_implicit_credentials, recorded by the COM fake
 * in call order, and a proxy that admits only the helper lets the transfer through. */
static void implicit_credentials_set_every_pair_and_pass_an_authenticating_proxy(void **state)
{
    struct comfake_t *t = *state;
    static const char *const remotes[] = {BEHIND_PROXY};
    char creds[512];

    comfake_world(t, "resource " BEHIND_PROXY " size=5000 proxy-auth-by=CORP\\alice\n");
    comfake_open(t);
    comfake_request(t, BHT_TOKEN_NETWORK, remotes, 1, 0);
    bht_run_transfer(&t->be, &t->req, &t->rep);
    assert_int_equal(bht_fakebits_credentials(t->rep.job_id, creds, sizeof creds), S_OK);
    print_message("SetCredentials pairs:\n%s", creds);
    assert_string_equal(creds, "set server/negotiate user=- password=-\n"
                               "set server/ntlm user=- password=-\n"
                               "set proxy/negotiate user=- password=-\n"
                               "set proxy/ntlm user=- password=-\n");
    if (t->rep.outcome != BHT_OUTCOME_SUCCESS)
        fail_msg("outcome %d step %s hr 0x%08lX: %s", t->rep.outcome,
                 bht_step_name(t->rep.failed_step), (unsigned long)t->rep.hr, t->rep.detail);
    assert_int_equal(comfake_file_size(t->local[0]), 5000);
    bht_fakebits_drain(5000); /* a JobTransferred still in flight lands in the open STA */
    comfake_close(t);
}

/* Item 5: from the first wait on, GetState and Cancel answer that the service is gone. The
 * core reports "unavailable" (exit 5) with the HRESULT, and the job as possibly left. */
static void lost_service_through_com_is_exit_5_for_each_hresult(void **state)
{
    static const HRESULT lost[] = {RPC_E_DISCONNECTED,    RPC_E_SERVER_DIED,
                                   RPC_E_SERVER_DIED_DNE, HRESULT_FROM_WIN32(RPC_S_CALL_FAILED_DNE),
                                   CO_E_OBJNOTCONNECTED,  HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)};
    static const char *const remotes[] = {COMFAKE_URL_PUBLIC};
    struct comfake_t *t = *state;

    for (size_t i = 0; i < sizeof lost / sizeof lost[0]; i++) {
        comfake_world(t, NULL);
        comfake_open(t);
        comfake_request(t, 0, remotes, 1, 0);
        bht_fakebits_fail_method("IBackgroundCopyJob::GetState", 1, lost[i],
                                 BHT_FAULT_PERSISTENT);
        bht_fakebits_fail_method("IBackgroundCopyJob::Cancel", 1, lost[i], BHT_FAULT_PERSISTENT);
        bht_run_transfer(&t->be, &t->req, &t->rep);
        print_message("0x%08lX: exit %d, step %s, left in queue %d\n", (unsigned long)lost[i],
                      bht_outcome_exit_code(t->rep.outcome), bht_step_name(t->rep.failed_step),
                      t->rep.job_left_in_queue);
        assert_int_equal(bht_outcome_exit_code(t->rep.outcome), 5);
        assert_int_equal(t->rep.failed_step, BHT_STEP_WAIT);
        assert_int_equal((uint32_t)t->rep.hr, (uint32_t)lost[i]);
        assert_int_equal(t->rep.job_left_in_queue, 1);
        bht_fakebits_drain(5000);
        comfake_close(t);
        bht_fakebits_fail_method("IBackgroundCopyJob::GetState", 0, S_OK, BHT_FAULT_ONCE);
        bht_fakebits_fail_method("IBackgroundCopyJob::Cancel", 0, S_OK, BHT_FAULT_ONCE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            implicit_credentials_set_every_pair_and_pass_an_authenticating_proxy, comfake_setup,
            comfake_teardown),
        cmocka_unit_test_setup_teardown(lost_service_through_com_is_exit_5_for_each_hresult,
                                        comfake_setup, comfake_teardown),
    };

    return cmocka_run_group_tests_name("com_fake_windows_rules", tests, NULL, NULL);
}
