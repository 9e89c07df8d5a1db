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

/* The first group carries the serial (open_job's index), the second and last the world's
 * 64-bit id tag: random per world, so two processes never make the same GUID (the
 * temporary names derive from it, as BITS's do), or fixed by
 * bht_fake_world_set_id_tag for reproducible tests. Version nibble 4, variant 9. */
#define ID_FORMAT "{%08X-%04X-4B17-9B17-%04X%08lX}"
#define ID_MIDDLE "-4B17-9B17-"

void fake_job_format_id(uint32_t serial, uint64_t tag, char *out)
{
    snprintf(out, BHT_JOB_ID_SIZE, ID_FORMAT, (unsigned)serial, (unsigned)(tag >> 48),
             (unsigned)((tag >> 32) & 0xFFFFu), (unsigned long)(tag & 0xFFFFFFFFu));
}

static int hex_digits(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];
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
    if (out)
        *out = v;
    return 1;
}

/* {SSSSSSSS-TTTT-4B17-9B17-TTTTTTTTTTTT}, any case: positions 1, 10, 25 and 33 hold hex. */
int fake_job_parse_id(const char *id, uint32_t *out_serial)
{
    uint32_t serial;
    int i;

    if (!id || strlen(id) != BHT_JOB_ID_SIZE - 1 || id[0] != '{' || id[9] != '-' ||
        id[37] != '}')
        return 0;
    if (!hex_digits(id + 1, 8, &serial) || !hex_digits(id + 10, 4, NULL) ||
        !hex_digits(id + 25, 8, NULL) || !hex_digits(id + 33, 4, NULL) || serial == 0)
        return 0;
    for (i = 0; ID_MIDDLE[i]; i++) {
        char a = id[14 + i], b = ID_MIDDLE[i];
        if (a >= 'a' && a <= 'f')
            a = (char)(a - 'a' + 'A'); /* GUID strings compare without case */
        if (a != b)
            return 0; /* not the fixed middle part */
    }
    *out_serial = serial;
    return 1;
}

struct fake_job *fake_job_alloc(struct bht_fake_world *w, uint32_t serial)
{
    struct fake_job *j = calloc(1, sizeof(*j));

    if (!j)
        return NULL;
    j->serial = serial;
    fake_job_format_id(serial, w->id_tag, j->id);
    j->state = BHT_JOB_SUSPENDED;
    j->priority = BHT_PRIORITY_NORMAL;
    j->notify_flags = BHT_NOTIFY_JOB_TRANSFERRED | BHT_NOTIFY_JOB_ERROR; /* C01, C74 */
    j->error.file = -1;
    j->created_ms = w->now_ms;
    j->next_ms = FAKE_NO_EVENT;
    j->no_progress_since_ms = FAKE_NO_EVENT; /* C72: no transient error yet */
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

uint64_t fake_serial_hash(uint32_t serial)
{
    return (uint64_t)serial * 0x9E3779B97F4A7C15ull; /* spreads consecutive serials */
}

struct fake_job *fake_job_by_serial(const struct bht_fake_world *w, uint32_t serial)
{
    size_t cursor = 0;
    struct fake_job *j;

    while ((j = fake_index_next(&w->job_index, fake_serial_hash(serial), &cursor)) != NULL)
        if (j->serial == serial)
            return j;
    return NULL;
}

void fake_queue_insert(struct bht_fake_world *w, struct fake_job *j)
{
    /* Cannot fail: create_job and the state file's install reserve the room first. */
    fake_index_put(&w->job_index, fake_serial_hash(j->serial), j);
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

/* Only final jobs leave: fake_job_set_state already unscheduled j and took it off its
 * owner's live count. */
void fake_job_leave_queue(struct bht_fake_world *w, struct fake_job *j)
{
    if (!j->in_queue)
        return;
    if (j->q_prev)
        j->q_prev->q_next = j->q_next;
    else
        w->q_head = j->q_next;
    if (j->q_next)
        j->q_next->q_prev = j->q_prev;
    else
        w->q_tail = j->q_prev;
    j->q_prev = j->q_next = NULL;
    fake_index_remove(&w->job_index, fake_serial_hash(j->serial), j);
    j->in_queue = 0;
    w->queue_len--;
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
    fake_index_free(&w->job_index);
    w->queue_len = 0;
}
