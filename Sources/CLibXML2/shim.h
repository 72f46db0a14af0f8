// libxml2 as haaudit uses it: parsing, the tree and errors.
//
// Debian builds libxml2 with ICU, and <libxml/encoding.h> then includes ICU's headers, whose
// types clash with Foundation's own copy of ICU in any module that imports both. haaudit never
// touches libxml2's encoding handlers (the only place ICU types appear), so it leaves them out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
