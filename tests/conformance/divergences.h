/* bitsht conformance: the only list of known backend differences.
 *
 * Checks expect documented Windows behaviour (docs/contract.md). A check listed here for
 * the backend under test is run all the same: if its annotated comparison (CHECK_*_DIV)
 * mismatches, the run reports "KNOWN" and the check ends as a known divergence; if it
 * matches, the annotation is STALE and the check fails. Backends:
 *   fake-windows  the fake, profile windows (native build and .exe under Wine)
 *   fake-wine8    the fake, profile wine8: must agree with com-wine8
 *   com-wine8     the COM backend on Wine 8's BITS (qmgr), detected via wine_get_version
 *   com-windows   the COM backend on real Windows (GitHub windows-2022 runner)
 *   com-fake-windows  the COM backend over the COM fake (bitsht_fakebits.dll, fakes/com),
 *                     profile windows: must pass everything (only a property of COM itself
 *                     could be listed, with its reason; none is)
 *   com-fake-wine8    the same over the COM fake's wine8 profile: "wine8" entries apply
 * A backend field "wine8" matches fake-wine8, com-wine8 and com-fake-wine8: the fake's Wine profile and
 * real Wine must show the same differences, so one entry covers both. "com" matches
 * every com-* run: a property of our COM backend, not of a BITS.
 * An entry for com-wine8 alone is a Wine behaviour the fake's wine8 profile does not
 * reproduce yet: the trace replay lists it too (bht_replay_divergences below).
 * Reasons cite the contract row; [M] marks what this suite measured on Wine 8.0 itself. */
#ifndef BHT_CONFORMANCE_DIVERGENCES_H
#define BHT_CONFORMANCE_DIVERGENCES_H

struct bht_divergence {
    const char *check;   /* the check's function name */
    const char *backend; /* a backend id above, or "wine8" for both Wine ones */
    const char *reason;
};

static const struct bht_divergence bht_divergences[] = {
    /* measured on Wine 8.0, reproduced by the fake's wine8 profile */
    {"complete_cancelled_job_gives_bg_e_invalid_state", "wine8",
     "3.1/C44 [M]: Wine's Complete on a CANCELLED job answers BG_E_INVALID_STATE but moves "
     "the job to ACKNOWLEDGED"},
    {"complete_after_error_keeps_finished_files_only", "wine8",
     "C38 [M]: Wine's Complete in ERROR answers BG_S_PARTIAL_COMPLETE but keeps no file, "
     "not even the one that finished (contract said 'same [S]')"},
    /* 4.1 manager */
    {"create_job_rejects_name_longer_than_256_chars", "wine8",
     "C02: Wine's CreateJob has no length check, S_OK"},
    {"open_job_of_cancelled_job_gives_bg_e_not_found", "wine8",
     "C09: final jobs stay in Wine's list until the worker next wakes"},
    {"enum_jobs_omits_cancelled_job", "wine8",
     "C11: cancelled jobs stay listed until the worker next wakes"},
    {"too_many_jobs_gives_bg_e_too_many_jobs_per_user", "wine8",
     "C05: Wine has no job limit"},
    /* 4.2 AddFile */
    {"add_file_relative_local_name_gives_e_invalidarg", "wine8",
     "C16: Wine validates no local name, S_OK"},
    {"add_file_ftp_scheme_gives_e_invalidarg", "wine8", "C17: Wine accepts any scheme"},
    {"add_file_relative_remote_name_gives_e_invalidarg", "wine8",
     "C18: Wine accepts a relative remote name"},
    {"add_file_remote_name_longer_than_2200_chars_gives_e_invalidarg", "wine8",
     "C18/§2.4 (§5 item 9): Wine's AddFile checks no length, S_OK"},
    {"add_file_after_complete_gives_bg_e_invalid_state", "wine8",
     "C22: Wine's AddFile has no state check"},
    {"add_file_after_cancel_gives_bg_e_invalid_state", "wine8",
     "C23: Wine's AddFile has no state check"},
    {"add_file_201st_file_gives_bg_e_too_many_files_in_job", "wine8",
     "C24: Wine has no file limit"},
    /* 4.3 Resume / Suspend */
    {"resume_transferred_job_without_new_files_keeps_it_transferred", "wine8",
     "C31: Wine answers BG_E_EMPTY (every file already transferred)"},
    {"suspend_suspended_job_is_s_ok", "wine8", "C34: Wine's Suspend is E_NOTIMPL"},
    {"suspend_inflight_job_suspends_it", "wine8", "C34: Wine's Suspend is E_NOTIMPL"},
    {"suspend_cancelled_job_gives_bg_e_invalid_state", "wine8",
     "C35: Wine's Suspend is E_NOTIMPL in every state"},
    {"suspend_acknowledged_job_gives_bg_e_invalid_state", "wine8",
     "C35: Wine's Suspend is E_NOTIMPL in every state"},
    /* 4.5 Cancel */
    {"cancel_job_with_files_gives_s_ok", "wine8",
     "C47: Wine also deletes the destination path and reports BG_S_UNABLE_TO_DELETE_FILES "
     "when that fails, the normal case"},
    {"cancel_keeps_a_preexisting_destination_file", "wine8",
     "C48: Wine's Cancel deletes the destination path, destroying the existing file"},
    /* 4.6 progress */
    {"progress_of_transferred_local_copy_counts_every_byte", "wine8",
     "C57: Wine keeps BytesTotal at BG_SIZE_UNKNOWN once a file is added"},
    {"progress_of_transferred_http_download_counts_every_byte", "wine8",
     "C57: Wine keeps BytesTotal at BG_SIZE_UNKNOWN once a file is added"},
    /* 4.7 errors */
    {"http_403_puts_job_in_error_with_status_code", "wine8",
     "C62: Wine treats 403 as success and saves the response body as the file"},
    {"http_500_puts_job_in_error_with_status_code", "wine8",
     "C62: Wine treats 500 as success and saves the response body as the file"},
    {"missing_local_source_reports_remote_file_context", "wine8",
     "C59/C64: Wine records no error context for a failed local copy: GetError gives "
     "BG_E_ERROR_INFORMATION_UNAVAILABLE in ERROR"},
    {"refused_connection_is_a_transient_error", "wine8",
     "C63: Wine has no TRANSIENT_ERROR; a refused connection is ERROR at once"},
    /* 4.8 notifications and properties */
    {"set_notify_flags_file_ranges_transferred_is_s_ok", "wine8",
     "C75: Wine rejects BG_NOTIFY_FILE_RANGES_TRANSFERRED (0x20) with E_NOTIMPL"},
    {"set_priority_out_of_range_gives_e_notimpl", "wine8",
     "C84: Wine's SetPriority is a stub answering S_OK"},
    {"set_priority_on_cancelled_job_gives_bg_e_invalid_state", "wine8",
     "C84: Wine's SetPriority is a stub answering S_OK in every state"},
    /* 4.9 helper tokens: Wine 8 jobs have no IBitsTokenOptions (C87) */
    {"token_options_are_available_to_the_owner", "wine8", "C87: E_NOINTERFACE on Wine 8"},
    {"helper_token_flags_of_new_job_are_zero", "wine8", "C87: E_NOINTERFACE on Wine 8"},
    {"helper_token_flags_round_trip", "wine8", "C87: E_NOINTERFACE on Wine 8"},
    {"helper_token_flags_zero_is_accepted", "wine8", "C87: E_NOINTERFACE on Wine 8"},
    {"helper_token_flags_outside_mask_are_refused", "wine8", "C87: E_NOINTERFACE on Wine 8"},
    {"helper_token_sid_is_null_without_helper_token", "wine8", "C87: E_NOINTERFACE on Wine 8"},
    {"set_helper_token_while_impersonating_records_helper_sid", "wine8",
     "C87: E_NOINTERFACE on Wine 8"},
    {"clear_helper_token_drops_sid_and_keeps_flags", "wine8", "C87: E_NOINTERFACE on Wine 8"},
    {"token_calls_on_cancelled_job_give_bg_e_invalid_state", "wine8",
     "C87: E_NOINTERFACE on Wine 8"},
    {"token_flags_without_helper_token_fail_with_bg_e_token_required", "wine8",
     "C87: E_NOINTERFACE on Wine 8"},
    /* 4.10 identity */
    {"logon_with_wrong_password_fails_with_logon_failure", "wine8",
     "C104: Wine's LogonUserW accepts any password"},
    {"impersonate_logged_on_helper_and_revert", "wine8",
     "C106: Wine's logon handle 0xDEADBEEF cannot be impersonated"},
};

/* Trace replay (replay.c): checks whose recorded Wine trace the fake's wine8 profile does
 * not reproduce. A listed check that mismatches is known; one that replays clean is stale
 * and fails the replay. */
struct bht_replay_divergence {
    const char *check;
    const char *reason;
};

static const struct bht_replay_divergence bht_replay_divergences[] = {
    /* none: the fake's wine8 profile reproduces every Wine 8 behaviour the trace holds */
    {NULL, NULL} /* end of the list */
};

#endif
