/* elfdeps — the DT_NEEDED entries of an ELF64 shared object.
 *
 * Reads at most ELFDEPS_FILE_MAX bytes of headers and tables with pread;
 * malformed or hostile files give -ENOEXEC, never a crash. Names are
 * copied into caller storage. */
#ifndef TUTTI_ELFDEPS_H
#define TUTTI_ELFDEPS_H

#define ELFDEPS_NAME_MAX 256
#define ELFDEPS_MAX 64

/* Returns the number of entries (≤ max) or -errno (-ENOEXEC: not an ELF64
 * shared object of this machine). */
int elfdeps_needed(const char *path, char names[][ELFDEPS_NAME_MAX], int max);

#endif
