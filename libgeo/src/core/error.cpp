#include "geo/core/error.hpp"

namespace geo {

namespace {

std::string compose(const std::string& what, const ErrorContext& context, const std::string& hint) {
    std::string line;
    if (!context.file.empty()) {
        line += context.file;
    }
    if (!context.layer.empty()) {
        line += (line.empty() ? "layer " : ", layer ") + context.layer;
    }
    if (context.feature) {
        line += (line.empty() ? "feature " : ", feature ") + std::to_string(*context.feature);
    }
    if (!line.empty()) {
        line += ": ";
    }
    line += what;
    if (!hint.empty()) {
        line += " (" + hint + ")";
    }
    return line;
}

} // namespace

Error::Error(const std::string& what, ErrorContext context, std::string hint)
    : std::runtime_error(compose(what, context, hint)), m_context(std::move(context)),
      m_hint(std::move(hint)), m_message(what) {}

} // namespace geo
