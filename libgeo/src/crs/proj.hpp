#pragma once
// Internal RAII over the PROJ C API: a context that records PROJ's messages
// instead of printing them, and a PJ* owner bound to its context.

#include <proj.h>

#include <memory>
#include <string>
#include <string_view>

namespace geo::crs::detail {

/// One PJ_CONTEXT. PROJ contexts are not thread-safe: each is used by one
/// thread at a time. Messages PROJ logs are kept (never printed) so that a
/// failure can be reported in the exception.
class ProjContext {
  public:
    ProjContext();
    ~ProjContext();
    ProjContext(const ProjContext&) = delete; // PROJ holds a pointer to this object (log callback)
    ProjContext& operator=(const ProjContext&) = delete;
    ProjContext(ProjContext&&) = delete;
    ProjContext& operator=(ProjContext&&) = delete;

    [[nodiscard]] PJ_CONTEXT* get() const noexcept { return m_ctx; }
    /// Forget earlier messages and the error number before a new call.
    void clear_error() noexcept;
    /// The best description of the last failure: PROJ's logged messages,
    /// else the text of the context's error number, else `fallback`.
    [[nodiscard]] std::string last_error(std::string_view fallback = "unknown PROJ error") const;

    /// The calling thread's context, for short-lived work (parsing a Crs).
    static ProjContext& thread_local_context();

  private:
    static void on_log(void* self, int level, const char* message);

    PJ_CONTEXT* m_ctx = nullptr;
    std::string m_messages;
};

struct PjDeleter {
    void operator()(PJ* pj) const noexcept { proj_destroy(pj); }
};
/// Owns one PJ. proj_destroy uses the context the PJ was created with, so
/// a PjPtr must not outlive its ProjContext.
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

/// proj_create on `definition`; throws geo::CrsError (with PROJ's message and
/// `what` as the subject) when PROJ returns null.
PjPtr create(ProjContext& ctx, const std::string& definition, std::string_view what);

/// The horizontal CRS inside `crs`: the source CRS of a bound CRS, the
/// first component of a compound CRS, else the CRS itself (not owned when
/// equal to `crs`; the returned PjPtr is then null and `crs` is meant).
PjPtr horizontal_part(ProjContext& ctx, const PJ* crs);

} // namespace geo::crs::detail
