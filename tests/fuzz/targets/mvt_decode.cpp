// Fuzz target: the strict Mapbox Vector Tile decoder (geo/tile/decoder.hpp) on arbitrary bytes.
// Properties: decode_tile() either returns or throws tile::FormatError (never anything else, never
// a crash); whatever it accepts, the encoder writes back or refuses with InputError (it refuses
// coordinates whose deltas overflow 32 bits, which valid tiles may carry: mvt-fixtures 049/050),
// and what the encoder writes decodes again and re-encodes byte for byte the same.
#include "fuzz_support.hpp"

#include "geo/tile/decoder.hpp"
#include "geo/tile/encoder.hpp"

#include <set>
#include <string>
#include <string_view>

namespace {

std::string reencode(const geo::tile::DecodedTile& tile) {
    geo::tile::TileBuilder out;
    std::set<std::string> names;
    for (const auto& layer : tile.layers) {
        if (!names.insert(layer.name).second) {
            continue;
        }
        auto& builder = out.add_layer(layer.name, layer.extent);
        for (const auto& f : layer.features) {
            if (f.type == geo::tile::GeomType::unknown) {
                continue; // nothing the encoder could draw
            }
            auto feature = f.id ? builder.feature(*f.id) : builder.feature();
            feature.properties(f.properties);
            if (feature.set_geometry(f.geometry)) {
                feature.commit();
            }
        }
    }
    return out.serialize();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 64 * 1024) {
        return 0;
    }
    geo::tile::DecodedTile tile;
    try {
        tile = geo::tile::decode_tile(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const geo::tile::FormatError&) {
        return 0; // rejected with the documented error: fine
    }
    for (const auto& layer : tile.layers) {
        for (const auto& f : layer.features) {
            fuzz::check(f.tags.size() % 2 == 0, "odd tag count accepted");
            fuzz::check(f.properties.size() == f.tags.size() / 2, "properties do not match tags");
        }
    }
    std::string first;
    try {
        first = reencode(tile);
    } catch (const geo::InputError&) {
        return 0;
    } catch (const geo::Error& e) {
        fuzz::fail("the encoder failed on what the decoder accepted:", e.what());
    }
    geo::tile::DecodedTile again;
    try {
        again = geo::tile::decode_tile(first);
    } catch (const geo::tile::FormatError& e) {
        fuzz::fail("our own encoder wrote a tile our decoder rejects:", e.what());
    }
    fuzz::check(reencode(again) == first, "encode(decode(x)) is not stable");
    return 0;
}
