#include "crs/proj.hpp"

#include "geo/core/error.hpp"

#include <stdexcept>

namespace geo::crs::detail {

ProjContext::ProjContext() : m_ctx(proj_context_create()) {
    if (m_ctx == nullptr) {
        throw CrsError("PROJ could not create a context", {}, "check that the PROJ database (proj.db) is installed");
    }
    // Without a log function PROJ writes errors to stderr; libgeo never
    // prints, so messages are collected and end up in CrsError instead.
    proj_log_func(m_ctx, this, &ProjContext::on_log);
    proj_log_level(m_ctx, PJ_LOG_ERROR);
}

ProjContext::~ProjContext() {
    proj_context_destroy(m_ctx);
}

void ProjContext::on_log(void* self, int level, const char* message) {
    if (level > PJ_LOG_ERROR || message == nullptr) {
        return;
    }
    auto* ctx = static_cast<ProjContext*>(self);
    if (!ctx->m_messages.empty()) {
        ctx->m_messages += "; ";
    }
    ctx->m_messages += message;
}

void ProjContext::clear_error() noexcept {
    // PROJ's public API cannot reset a context's error number, so the
    // logged messages (cleared here) are the primary source of errors.
    m_messages.clear();
}

std::string ProjContext::last_error(std::string_view fallback) const {
    if (!m_messages.empty()) {
        return m_messages;
    }
    const int err = proj_context_errno(m_ctx);
    if (err != 0) {
        const char* text = proj_context_errno_string(m_ctx, err);
        if (text != nullptr && *text != '\0') {
            return text;
        }
    }
    return std::string(fallback);
}

ProjContext& ProjContext::thread_local_context() {
    thread_local ProjContext ctx;
    return ctx;
}

PjPtr create(ProjContext& ctx, const std::string& definition, std::string_view what) {
    ctx.clear_error();
    PjPtr pj(proj_create(ctx.get(), definition.c_str()));
    if (!pj) {
        throw CrsError("PROJ cannot read " + std::string(what) + ": " + ctx.last_error());
    }
    return pj;
}

PjPtr horizontal_part(ProjContext& ctx, const PJ* crs) {
    switch (proj_get_type(crs)) {
    case PJ_TYPE_BOUND_CRS: return PjPtr(proj_get_source_crs(ctx.get(), crs));
    case PJ_TYPE_COMPOUND_CRS: return PjPtr(proj_crs_get_sub_crs(ctx.get(), crs, 0));
    default: return PjPtr{};
    }
}

} // namespace geo::crs::detail
