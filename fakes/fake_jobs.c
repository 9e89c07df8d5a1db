/* bitsht fake: job records, their ids, the queue enum_jobs/open_job see, and the
 * scheduler's list of jobs that have a step pending.
 *
 * Cost model (the benchmark runs 10,000 jobs through one world): a final job leaves both
 * lists at once (C09, C11), lookups by id are O(1) through the serial index, and per-state
 * counts are kept as counters, so nothing scans every job ever created. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_internal.h"

/* Constant tail; the first group carries the serial, so ids are unique per world and the
 * same in every run (reproducible tests). Version nibble 4, variant 8..b. */
#define ID_FORMAT "{%08X-FA4E-4B17-9B17-0000B175B175}"
#define ID_TAIL "-FA4E-4B17-9B17-0000B175B175}"

void fake_job_format_id(uint32_t serial, char *out)
{
    snprintf(out, BHT_JOB_ID_SIZE, ID_FORMAT, (unsigned)serial);
}

int fake_job_parse_id(const char *id, uint32_t *out_serial)
{
    uint32_t v = 0;
    int i;

    if (!id || id[0] != '{' || strlen(id) != BHT_JOB_ID_SIZE - 1)
        return 0;
    for (i = 1; i <= 8; i++) {
        char c = id[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else
            return 0;
        v = (v << 4) | d;
    }
    for (i = 0; ID_TAIL[i]; i++) {
        char a = id[9 + i], b = ID_TAIL[i];
        if (a >= 'a' && a <= 'f')
            a = (char)(a - 'a' + 'A'); /* GUID strings compare without case */
        if (a != b)
            return 0;
    }
    if (v == 0)
        return 0;
    *out_serial = v;
    return 1;
}

struct fake_job *fake_job_alloc(struct bht_fake_world *w, uint32_t serial)
{
    struct fake_job *j = calloc(1, sizeof(*j));

    if (!j)
        return NULL;
    j->serial = serial;
    fake_job_format_id(serial, j->id);
    j->state = BHT_JOB_SUSPENDED;
    j->priority = BHT_PRIORITY_NORMAL;
    j->notify_flags = BHT_NOTIFY_JOB_TRANSFERRED | BHT_NOTIFY_JOB_ERROR; /* C01, C74 */
    j->error.file = -1;
    j->created_ms = w->now_ms;
    j->next_ms = FAKE_NO_EVENT;
    return j;
}

void fake_job_free(struct fake_job *j)
{
    size_t i;

    if (!j)
        return;
    for (i = 0; i < j->n_files; i++) {
        free(j->files[i].remote);
        free(j->files[i].local);
        free(j->files[i].temp);
    }
    free(j->files);
    free(j->display_name);
    free(j);
}

bht_hr fake_job_add_file_record(struct fake_job *j, const char *remote, const char *local)
{
    struct fake_file *f;

    if (j->n_files == j->cap_files) {
        size_t cap = j->cap_files ? 2 * j->cap_files : 4;
        struct fake_file *v = realloc(j->files, cap * sizeof(*v));
        if (!v)
            return E_OUTOFMEMORY;
        j->files = v;
        j->cap_files = cap;
    }
    f = &j->files[j->n_files];
    memset(f, 0, sizeof(*f));
    f->remote = fake_strdup(remote);
    f->local = fake_strdup(local);
    if (!f->remote || !f->local) {
        free(f->remote);
        free(f->local);
        return E_OUTOFMEMORY;
    }
    f->bytes_total = BHT_SIZE_UNKNOWN; /* C56: known once the server answered */
    j->n_files++;
    j->new_files = 1;
    return S_OK;
}

static int index_put(struct bht_fake_world *w, uint32_t serial, struct fake_job *j)
{
    if (serial >= w->by_serial_cap) {
        size_t cap = w->by_serial_cap ? w->by_serial_cap : 64;
        struct fake_job **v;
        while (cap <= serial)
            cap *= 2;
        v = realloc(w->by_serial, cap * sizeof(*v));
        if (!v)
            return 0;
        memset(v + w->by_serial_cap, 0, (cap - w->by_serial_cap) * sizeof(*v));
        w->by_serial = v;
        w->by_serial_cap = cap;
    }
    w->by_serial[serial] = j;
    return 1;
}

void fake_queue_insert(struct bht_fake_world *w, struct fake_job *j)
{
    if (!index_put(w, j->serial, j))
        return; /* open_job cannot find it; enum_jobs still lists it */
    j->q_prev = w->q_tail;
    j->q_next = NULL;
    if (w->q_tail)
        w->q_tail->q_next = j;
    else
        w->q_head = j;
    w->q_tail = j;
    j->in_queue = 1;
    w->queue_len++;
    j->owner->live_jobs++;
    w->in_state[j->state]++;
    w->jobs_created++;
}

void fake_job_schedule(struct bht_fake_world *w, struct fake_job *j, uint64_t at_ms)
{
    j->next_ms = at_ms;
    if (j->active)
        return;
    j->a_prev = NULL;
    j->a_next = w->a_head;
    if (w->a_head)
        w->a_head->a_prev = j;
    w->a_head = j;
    j->active = 1;
}

void fake_job_unschedule(struct bht_fake_world *w, struct fake_job *j)
{
    j->next_ms = FAKE_NO_EVENT;
    if (!j->active)
        return;
    if (j->a_prev)
        j->a_prev->a_next = j->a_next;
    else
        w->a_head = j->a_next;
    if (j->a_next)
        j->a_next->a_prev = j->a_prev;
    j->a_prev = j->a_next = NULL;
    j->active = 0;
}

void fake_job_set_state(struct bht_fake_world *w, struct fake_job *j, enum bht_job_state s)
{
    if (j->in_queue) {
        w->in_state[j->state]--;
        w->in_state[s]++;
    }
    j->state = s;
    if (fake_state_is_final(s)) {
        fake_job_unschedule(w, j);
        if (j->in_queue && j->owner->live_jobs)
            j->owner->live_jobs--; /* final jobs do not count towards C05 (question 15) */
        /* Windows: the job leaves the queue at once (C09, C11); Wine keeps it listed until
         * the next Resume of any job (§5 item 15). */
        if (w->profile == BHT_FAKE_PROFILE_WINDOWS)
            fake_job_leave_queue(w, j);
    }
}

void fake_job_leave_queue(struct bht_fake_world *w, struct fake_job *j)
{
    if (!j->in_queue)
        return;
    fake_job_unschedule(w, j);
    if (j->q_prev)
        j->q_prev->q_next = j->q_next;
    else
        w->q_head = j->q_next;
    if (j->q_next)
        j->q_next->q_prev = j->q_prev;
    else
        w->q_tail = j->q_prev;
    j->q_prev = j->q_next = NULL;
    if (j->serial < w->by_serial_cap && w->by_serial[j->serial] == j)
        w->by_serial[j->serial] = NULL;
    j->in_queue = 0;
    w->queue_len--;
    if (!fake_state_is_final(j->state) && j->owner->live_jobs)
        j->owner->live_jobs--;
    if (j->handles == 0)
        fake_job_free(j);
}

void fake_sweep_final_jobs(struct bht_fake_world *w)
{
    struct fake_job *j = w->q_head, *next;

    for (; j; j = next) {
        next = j->q_next;
        if (fake_state_is_final(j->state))
            fake_job_leave_queue(w, j);
    }
}

void fake_jobs_free_all(struct bht_fake_world *w)
{
    struct fake_job *j = w->q_head, *next;

    for (; j; j = next) {
        next = j->q_next;
        fake_job_free(j);
    }
    w->q_head = w->q_tail = NULL;
    w->a_head = NULL;
    free(w->by_serial);
    w->by_serial = NULL;
    w->by_serial_cap = 0;
    w->queue_len = 0;
}
