#include "elfdeps.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PHDRS_MAX 256
#define DYN_MAX 4096

static int read_at(int fd, void *p, size_t n, off_t off)
{
	ssize_t r = pread(fd, p, n, off);

	return r == (ssize_t)n ? 0 : -ENOEXEC;
}

/* File offset of virtual address `va`, from the PT_LOAD segments. */
static int va_to_off(const Elf64_Phdr *ph, int n, Elf64_Addr va, off_t *off)
{
	for (int i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (va >= ph[i].p_vaddr && va - ph[i].p_vaddr < ph[i].p_filesz) {
			*off = (off_t)(ph[i].p_offset + (va - ph[i].p_vaddr));
			return 0;
		}
	}
	return -ENOEXEC;
}

int elfdeps_needed(const char *path, char names[][ELFDEPS_NAME_MAX], int max)
{
	Elf64_Ehdr eh;
	Elf64_Phdr *ph = NULL;
	Elf64_Dyn *dyn = NULL;
	struct stat st;
	int fd, rc = -ENOEXEC, count = 0, ndyn = 0;
	off_t stroff = 0;
	Elf64_Addr strtab = 0;
	Elf64_Xword strsz = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		goto out;
	if (read_at(fd, &eh, sizeof eh, 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_DYN ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > PHDRS_MAX)
		goto out;
	ph = calloc(eh.e_phnum, sizeof *ph);
	if (!ph || read_at(fd, ph, eh.e_phnum * sizeof *ph, (off_t)eh.e_phoff))
		goto out;
	for (int i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_DYNAMIC)
			continue;
		ndyn = (int)(ph[i].p_filesz / sizeof(Elf64_Dyn));
		if (ndyn <= 0 || ndyn > DYN_MAX)
			goto out;
		dyn = calloc((size_t)ndyn, sizeof *dyn);
		if (!dyn || read_at(fd, dyn, (size_t)ndyn * sizeof *dyn, (off_t)ph[i].p_offset))
			goto out;
		break;
	}
	rc = 0;
	if (!dyn)
		goto out;
	for (int i = 0; i < ndyn && dyn[i].d_tag != DT_NULL; i++) {
		if (dyn[i].d_tag == DT_STRTAB)
			strtab = dyn[i].d_un.d_ptr;
		else if (dyn[i].d_tag == DT_STRSZ)
			strsz = dyn[i].d_un.d_val;
	}
	if (!strtab || va_to_off(ph, eh.e_phnum, strtab, &stroff)) {
		rc = -ENOEXEC;
		goto out;
	}
	for (int i = 0; i < ndyn && dyn[i].d_tag != DT_NULL && count < max; i++) {
		char name[ELFDEPS_NAME_MAX];
		ssize_t r;

		if (dyn[i].d_tag != DT_NEEDED || dyn[i].d_un.d_val >= strsz)
			continue;
		r = pread(fd, name, sizeof name - 1, stroff + (off_t)dyn[i].d_un.d_val);
		if (r <= 0) {
			rc = -ENOEXEC;
			goto out;
		}
		name[r] = '\0';
		if (strnlen(name, (size_t)r) == (size_t)r) /* unterminated in range */
			continue;
		memcpy(names[count++], name, strlen(name) + 1);
	}
	rc = count;
out:
	free(ph);
	free(dyn);
	close(fd);
	return rc;
}
