// The harness's C interface to one Verilated model, for extra C++ sources built
// into the same shared object (DesignSpec.cxxSources): DPI functions, native
// reference loops. The generated mpsa_model.h names the model class MpsaModel.
#ifndef MPSA_SHIM_H_
#define MPSA_SHIM_H_

#include "mpsa_model.h"
#include "verilated.h"

#define MPSA_API extern "C" __attribute__((visibility("default")))

struct MpsaInstance;

/// The Verilated model behind a handle that the harness created (mpsa_create).
MpsaModel* mpsa_model_of(MpsaInstance* in);
/// The model's VerilatedContext (time, finish flags).
VerilatedContext* mpsa_context_of(MpsaInstance* in);
/// The storage of port `index` (the harness's port order), or null.
void* mpsa_port_of(MpsaInstance* in, int index);

#endif  // MPSA_SHIM_H_
