/* bitsht fake: the world's internal shape, shared by the files of fakes/ only.
 *
 * fake_world.c owns the world (users, resources, folders, clock, faults, call log),
 * fake_world_parse.c reads world files, fake_state.c the persisted queue, fake_engine.c
 * runs transfers on the virtual clock, fake_bits.c and fake_identity.c are the two ops
 * structs, fake_fs.c is the only file that touches the platform's file system API. */
#ifndef BITSHT_FAKE_INTERNAL_H
#define BITSHT_FAKE_INTERNAL_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "bitsht/system.h"
#include "bitsht/fake_world.h"

#define FAKE_NAME_MAX 128       /* bytes of DOMAIN or user name */
#define FAKE_QUALIFIED_MAX (2 * FAKE_NAME_MAX + 2) /* "DOMAIN\name" and its NUL, with room */
#define FAKE_SID_SIZE 64
#define FAKE_LOCAL_PATH_MAX 260 /* MAX_PATH, docs/contract.md */
#define FAKE_LOG_LINE 256
#define FAKE_LOG_DEFAULT_LIMIT 1024
#define FAKE_NO_EVENT UINT64_MAX
#define FAKE_DEFAULT_OWNER_DOMAIN "LOCAL"
#define FAKE_DEFAULT_OWNER_NAME "owner"
#define FAKE_DEFAULT_EPOCH_UNIX_S 1700000000u

/* Logon types a user may be granted, as bits of (1u << bht_logon_type). */
#define FAKE_LOGON_ALL \
    ((1u << BHT_LOGON_INTERACTIVE) | (1u << BHT_LOGON_NETWORK) | (1u << BHT_LOGON_BATCH) | \
     (1u << BHT_LOGON_SERVICE) | (1u << BHT_LOGON_NETWORK_CLEARTEXT) | \
     (1u << BHT_LOGON_NEW_CREDENTIALS))

/* The machine the world runs on, as `bitsht doctor` sees it (fake_system.c; world lines
 * `system key=value ...`). Defaults: a healthy Windows machine. */
struct fake_system {
    struct bht_service_info service;
    enum bht_session_kind session;
    enum bht_tristate system_account;
    int session_unknown;            /* session=unknown: the platform cannot tell */
    struct bht_bits_policy policy;
    uint32_t network_cost;          /* NLM_CONNECTION_COST bits, 0 = unknown */
    struct bht_proxy_info proxy;
    char bits_version[16];          /* "" = unknown */
    uint32_t job_cost_flags;        /* a new job's BITS_COST_STATE_* flags (provisional) */
};

struct fake_user {
    char domain[FAKE_NAME_MAX];
    char name[FAKE_NAME_MAX];
    char *password;        /* NULL for the implicit owner: nobody can log on as it */
    int admin;             /* member of Administrators, enabled in its tokens */
    unsigned logon_mask;   /* FAKE_LOGON_* bits granted */
    char sid[FAKE_SID_SIZE];
    unsigned live_jobs;    /* non-final jobs it owns (C05) */
};

/* Who acts: the local identity, and the one presented to network servers (they differ
 * only for LOGON32_LOGON_NEW_CREDENTIALS tokens). */
struct fake_identity {
    struct fake_user *local;
    struct fake_user *network; /* NULL: an unknown account, refused by every server */
};

struct bht_token {
    struct fake_identity who;
    int wine_dummy; /* wine8: LogonUserW's 0xDEADBEEF handle, impersonation fails (C106) */
    struct bht_token *next_open, *prev_open;
};

enum fake_remote_kind {
    FAKE_REMOTE_HTTP,  /* http:// or https:// */
    FAKE_REMOTE_UNC,   /* \\server\share\... */
    FAKE_REMOTE_LOCAL, /* a full local path or file:// URL (SMB rules, C15) */
    FAKE_REMOTE_BAD    /* anything else (C17, C18) */
};

struct fake_user_list {
    struct fake_user **v;
    size_t n, cap;
};

/* fake_index.c: hash -> record pointers (names are compared by the caller). */
struct fake_index_slot {
    uint64_t hash;
    void *value; /* NULL: free slot */
};
struct fake_index {
    struct fake_index_slot *slots;
    size_t cap, n;
};
uint64_t fake_hash_text(uint64_t h, const char *s, int fold_case); /* h 0: start */
int fake_index_reserve(struct fake_index *ix, size_t more);       /* 0: out of memory */
int fake_index_put(struct fake_index *ix, uint64_t hash, void *value);
/* The records stored under hash, one per call; *cursor starts at 0. NULL: no more. */
void *fake_index_next(const struct fake_index *ix, uint64_t hash, size_t *cursor);
void fake_index_remove(struct fake_index *ix, uint64_t hash, const void *value);
void fake_index_free(struct fake_index *ix);

struct fake_resource {
    char *remote;
    enum fake_remote_kind kind;
    uint64_t size;          /* pattern bytes when content is NULL */
    char *content;          /* path of the file that holds the bytes, or NULL */
    uint64_t rate;          /* bytes per virtual second; 0 = instantaneous */
    struct fake_user_list readers; /* empty: everyone */
    int has_readers;
    int auth_network;       /* HTTP server asks for NTLM/Kerberos (C101) */
    struct fake_user_list proxy_users; /* a proxy asks for NTLM/Kerberos, admits these */
    int has_proxy;          /* (C114) */
    unsigned transient;     /* transient errors before success */
    bht_hr fail;            /* S_OK or a fatal HRESULT */
    int stall;              /* never progresses once connected */
    uint64_t drop_token_after; /* FAKE_NO_EVENT when absent */
    /* run-time, not declared */
    unsigned transient_seen;
    int token_dropped;
};

struct fake_folder {
    char *path;             /* no trailing separator */
    struct fake_user_list writers;
};

struct fake_file {
    char *remote;
    char *local;
    char *temp;             /* hidden temporary beside local, NULL until created */
    uint64_t bytes_total;   /* BHT_SIZE_UNKNOWN until connected */
    uint64_t bytes_done;
    int done;               /* every byte is in the temporary file */
    int renamed;            /* Complete moved it into place (C41: a retry skips it) */
    int opened;             /* the current attempt has connected and checked access */
    uint64_t on_disk;       /* bytes known to be in the temporary already (not saved) */
    int validated;          /* IBackgroundCopyFile3::SetValidationState (not saved) */
};

struct fake_error {
    int present;
    enum bht_error_context context;
    bht_hr code;
    int file;               /* index into files, -1 when not tied to a file */
};

struct fake_job {
    uint32_t serial;        /* the GUID is derived from it (deterministic per world) */
    char id[BHT_JOB_ID_SIZE];
    char *display_name;
    struct fake_user *owner;
    enum bht_job_state state;
    enum bht_priority priority;
    uint32_t notify_flags;
    unsigned credentials;   /* FAKE_CRED_BIT pairs with implicit (NULL) credentials (C114) */
    uint32_t token_flags;
    int has_helper;
    struct fake_identity helper;
    uint32_t cost_flags;    /* set_cost_flags; 0 = the world's default (not persisted) */
    struct fake_file *files;
    size_t n_files, cap_files;
    size_t current;         /* first unfinished file */
    int new_files;          /* files added since the job last reached TRANSFERRED (C31/C32) */
    struct fake_error error;
    uint64_t created_ms;
    uint64_t next_ms;       /* time of the next scheduled step, FAKE_NO_EVENT if none */
    uint64_t no_progress_since_ms; /* first transient error since the last progress */
    int in_queue;           /* listed by enum_jobs / open_job (C09, C11) */
    int active;             /* on the scheduler's list */
    unsigned handles;
    struct fake_job *q_prev, *q_next;   /* the queue: jobs enum_jobs can see */
    struct fake_job *a_prev, *a_next;   /* the scheduler: jobs with a pending step */
};

/* SetCredentials pairs: BG_AUTH_TARGET_* (1 server, 2 proxy) x BG_AUTH_SCHEME_* (1 basic,
 * 2 digest, 3 ntlm, 4 negotiate, 5 passport), one bit each. */
#define FAKE_CRED_BIT(target, scheme) (1u << (((target) - 1) * 5 + ((scheme) - 1)))
#define FAKE_CRED_ALL 0x3FFu
#define FAKE_AUTH_TARGET_SERVER 1
#define FAKE_AUTH_TARGET_PROXY 2
#define FAKE_AUTH_SCHEME_NTLM 3
#define FAKE_AUTH_SCHEME_NEGOTIATE 4

struct bht_job { /* a handle, as a COM interface pointer would be */
    struct fake_job *job;
    int token_options; /* QueryInterface(IBitsTokenOptions) done on this handle */
};

struct fake_fault {
    unsigned nth;
    bht_hr hr;
    enum bht_fault_mode mode;
    unsigned fired;
};

enum fake_admin_rule {
    FAKE_ADMIN_RULE_1607 = 0,  /* an admin helper needs an admin caller (C92) */
    FAKE_ADMIN_RULE_LEGACY = 1 /* only an admin owner may set any helper (C91) */
};

struct bht_fake_world {
    enum bht_fake_profile profile;
    enum fake_admin_rule admin_rule;
    struct fake_user_list users;
    struct fake_index user_index;     /* DOMAIN\name without case -> user */
    struct fake_user *owner;      /* the process identity */
    char local_domain[FAKE_NAME_MAX]; /* the machine's name: its accounts are local (C112) */
    struct fake_resource **resources;
    size_t n_resources;
    struct fake_index resource_index; /* remote name -> resource */
    struct fake_folder **folders;
    size_t n_folders;
    unsigned max_files_per_job, max_jobs_per_user, max_jobs_per_machine;
    struct fake_system sys;
    uint64_t retry_delay_ms, no_progress_timeout_ms;
    uint64_t epoch_unix_s;
    unsigned clock_speed;         /* option clock-speed=: the COM fake's virtual ms per real ms */

    uint64_t now_ms;
    uint32_t next_serial;
    uint64_t id_tag;              /* in every job GUID this world makes (fake_jobs.c) */
    struct fake_index job_index;  /* open_job's index: serial -> job in the queue (a hash,
                                     so a state file's serial 0xFFFFFFFE costs one slot) */
    struct fake_job *q_head, *q_tail;
    struct fake_job *a_head;
    unsigned queue_len;
    unsigned jobs_created;
    unsigned in_state[BHT_JOB_STATE_COUNT];

    struct fake_identity *imp_stack; /* impersonation stack (tests are single-threaded) */
    size_t imp_depth, imp_cap;
    struct bht_token *open_tokens;
    unsigned n_open_tokens;

    unsigned calls[BHT_OP_COUNT];
    struct fake_fault faults[BHT_OP_COUNT];
    char (*log)[FAKE_LOG_LINE];   /* ring buffer of the last log_limit entries */
    size_t log_limit, log_count, log_start;
};

/* fake_world.c */
struct fake_user *fake_find_user(const struct bht_fake_world *w, const char *qualified);
/* The index keys, and lookups in an index of users or resources (the world's, or a
 * parse's staging one). */
uint64_t fake_user_hash(const char *domain, const char *name);
struct fake_user *fake_index_find_user(const struct fake_index *ix, const char *domain,
                                       const char *name);
struct fake_resource *fake_index_find_resource(const struct fake_index *ix,
                                               const char *remote);
/* Adds u to a list of users and its index (0: out of memory, nothing added). */
int fake_user_list_add_indexed(struct fake_user_list *l, struct fake_index *ix,
                               struct fake_user *u);
struct fake_user *fake_find_user2(const struct bht_fake_world *w, const char *domain,
                                  const char *name);
struct fake_user *fake_user_new(const char *domain, const char *name, const char *password,
                                int admin, unsigned logon_mask, unsigned rid);
void fake_user_free(struct fake_user *u);
int fake_user_list_has(const struct fake_user_list *l, const struct fake_user *u);
int fake_user_list_add(struct fake_user_list *l, struct fake_user *u);
void fake_resource_free(struct fake_resource *r);
void fake_folder_free(struct fake_folder *f);
struct fake_user *fake_owner(struct bht_fake_world *w); /* creates LOCAL\owner on demand */
struct fake_identity fake_caller(struct bht_fake_world *w); /* top of stack, or the owner */
struct fake_resource *fake_find_resource(const struct bht_fake_world *w, const char *remote);
const struct fake_folder *fake_find_folder(const struct bht_fake_world *w, const char *dir);
char *fake_strdup(const char *s);
int fake_ascii_casecmp(const char *a, const char *b); /* names and GUIDs: no case */
/* Faults and the log: every op starts with fake_enter (S_OK or the injected HRESULT)
 * and ends with fake_leave, which logs "op args -> RESULT" and returns hr. */
bht_hr fake_enter(struct bht_fake_world *w, enum bht_fake_op op);
bht_hr fake_leave(struct bht_fake_world *w, enum bht_fake_op op, bht_hr hr, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* fake_bits.c: a new handle on j (as a COM interface pointer would be); NULL when out of
 * memory. The COM fake (fakes/com) hands these out behind its job objects. */
struct bht_job *fake_handle_new(struct fake_job *j);

/* fake_bits.c: SetCredentials(target, scheme, NULL user, NULL password) on h, counted, logged
 * and faulted as set_implicit_credentials (the COM fake's SetCredentials calls it per
 * pair; the ops op sets the four pairs the helper can answer). */
bht_hr fake_set_implicit_credentials_pair(struct bht_fake_world *w, struct bht_job *h,
                                          int target, int scheme);

/* fake_jobs.c: the queue and the scheduler's lists */
void fake_job_set_state(struct bht_fake_world *w, struct fake_job *j, enum bht_job_state s);
void fake_job_schedule(struct bht_fake_world *w, struct fake_job *j, uint64_t at_ms);
void fake_job_unschedule(struct bht_fake_world *w, struct fake_job *j);
void fake_job_leave_queue(struct bht_fake_world *w, struct fake_job *j); /* j is final */
/* The caller has reserved room for j in w->job_index (so this cannot fail). */
void fake_queue_insert(struct bht_fake_world *w, struct fake_job *j);
struct fake_job *fake_job_alloc(struct bht_fake_world *w, uint32_t serial);
void fake_job_free(struct fake_job *j);
void fake_job_format_id(uint32_t serial, uint64_t tag, char *out);
int fake_job_parse_id(const char *id, uint32_t *out_serial);
uint64_t fake_serial_hash(uint32_t serial);
/* The job in the queue with this serial, or NULL. */
struct fake_job *fake_job_by_serial(const struct bht_fake_world *w, uint32_t serial);
bht_hr fake_job_add_file_record(struct fake_job *j, const char *remote, const char *local);
void fake_sweep_final_jobs(struct bht_fake_world *w); /* wine8: on Resume (C09, C11) */
void fake_jobs_free_all(struct bht_fake_world *w);

/* fake_engine.c: transfers on the virtual clock */
void fake_engine_step(struct bht_fake_world *w, struct fake_job *j);
/* Runs every step due at or before t, one at a time in time order; stops early when
 * watch (may be NULL) changes state or reaches an act-now state. Returns 1 if stopped
 * early. The clock ends at t, or at the step that stopped it. */
int fake_engine_run_until(struct bht_fake_world *w, uint64_t t, struct fake_job *watch,
                          enum bht_job_state watch_from);
int fake_state_is_final(enum bht_job_state s);
int fake_state_is_act_now(enum bht_job_state s);
enum fake_remote_kind fake_remote_kind(const char *remote);
/* The writer of the destination side (C101: LOCAL_FILE makes it the helper). */
struct fake_user *fake_destination_writer(const struct fake_job *j);
/* C20 / open question 9: may `writer` create local's file? The declared folders decide
 * E_ACCESSDENIED; with check_disk the real folder must exist and be writable too. */
bht_hr fake_check_destination(struct bht_fake_world *w, const struct fake_user *writer,
                              const char *local, int check_disk);
void fake_pattern_fill(uint64_t offset, unsigned char *buf, size_t n);
/* The hidden temporary of file index: ".BIT<GUID's 32 hex digits><index:4 hex>.tmp" in the
 * destination's folder (newly allocated, or NULL). The only temporaries the fake makes,
 * writes or deletes. */
char *fake_temp_name(const struct fake_job *j, size_t index);

/* fake_state.c: parses a state file's text (n bytes, NUL-terminated, modified in place)
 * and installs the queue; name is used in errors. The fuzz target calls it directly. */
bht_hr fake_state_parse_text(struct bht_fake_world *w, char *text, size_t n, const char *name,
                             char *err, size_t err_size);

/* fake_system.c: the machine model. defaults fills a healthy Windows machine; decl reads
 * one `system` line's key=value tokens into sys (seen: keys already declared, for
 * duplicates), returning 0 with a reason in why on error; holds says whether the
 * scheduler must keep a QUEUED job waiting (C109, the network's cost vs the job's flags). */
void fake_system_defaults(struct fake_system *sys);
int fake_system_decl(struct fake_system *sys, unsigned *seen, char **tok, int n, char *why,
                     size_t why_size);
int fake_system_holds(const struct bht_fake_world *w, const struct fake_job *j);
/* S_OK, or what reaching a BITS the world declares disabled (0x80070422) or absent
 * (REGDB_E_CLASSNOTREG) gives: create_job and enum_jobs answer it. */
bht_hr fake_system_unavailable(const struct bht_fake_world *w);

/* fake_world_parse.c: strict decimal, no sign, at most max */
int fake_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* fake_paths.c: path syntax (portable, no file system access). Both syntaxes exist on
 * every host (fake_path_syntax_*, for the tests); fake_path_* use the host's. */
enum fake_path_syntax { FAKE_PATH_POSIX, FAKE_PATH_WINDOWS };
#ifdef _WIN32
#define FAKE_PATH_HOST FAKE_PATH_WINDOWS
#else
#define FAKE_PATH_HOST FAKE_PATH_POSIX
#endif
int fake_path_syntax_is_separator(enum fake_path_syntax syntax, char c);
int fake_path_syntax_is_absolute(enum fake_path_syntax syntax, const char *p);
/* bytes of a full path's root: 1 ("/") or 3 ("C:\\") */
size_t fake_path_syntax_root_len(enum fake_path_syntax syntax);
char *fake_path_syntax_parent(enum fake_path_syntax syntax, const char *p);
char *fake_path_syntax_file_url(enum fake_path_syntax syntax, const char *url);
int fake_path_syntax_has_prefix_dir(enum fake_path_syntax syntax, const char *path,
                                    const char *dir);
int fake_path_is_absolute(const char *p);
size_t fake_path_root_len(void);
int fake_path_is_separator(char c);
/* Newly allocated parent directory of p ("" never: "/" for "/x"), or NULL. */
char *fake_path_parent(const char *p);
/* file:// URL -> local path (newly allocated), or NULL when not a file URL. */
char *fake_file_url_to_path(const char *url);
int fake_path_has_prefix_dir(const char *path, const char *dir);

/* fake_fs.c: the platform part */
/* The rest of fp into a NUL-terminated malloc'd buffer (its length without the NUL); on
 * failure err says why, naming path (a folder opened as a file fails here). */
bht_hr fake_fs_read_all(FILE *fp, const char *path, char **out_text, size_t *out_len,
                        char *err, size_t err_size);
int fake_fs_is_dir(const char *path);
int fake_fs_file_size(const char *path, uint64_t *out_size); /* 1 if a regular file */
bht_hr fake_fs_dir_writable(const char *dir);
bht_hr fake_fs_replace(const char *from, const char *to);   /* rename over an existing file */
bht_hr fake_fs_remove(const char *path);                    /* S_OK also when it is absent */
int fake_fs_exists(const char *path);
bht_hr fake_fs_hr_from_errno(int err);
/* A new file opened for writing: O_CREAT|O_EXCL|O_NOFOLLOW (MinGW: _O_EXCL, which
 * refuses links too). An existing name, link or not, fails (ERROR_ALREADY_EXISTS). */
bht_hr fake_fs_create_new(const char *path, FILE **out);
/* A file the fake made, reopened for update; a link in its place is refused. */
bht_hr fake_fs_open_own(const char *path, FILE **out);
/* rename over an existing file in one step (readers never see it missing). */
bht_hr fake_fs_replace_atomic(const char *from, const char *to);
/* The lock file beside a shared state file, and its exclusive lock (fake_state.c). */
bht_hr fake_fs_lock_open(const char *path, int *out_fd);
bht_hr fake_fs_lock(int fd, int wait); /* S_FALSE: !wait and another process holds it */
void fake_fs_lock_close(int fd);
uint64_t fake_fs_random64(void); /* different in every process */
/* The real path of an existing file or folder (links resolved; Windows: "." and ".."
 * folded), newly allocated, or NULL. */
char *fake_fs_real_path(const char *path);

#endif
