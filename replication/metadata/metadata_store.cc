#include "replication/metadata/metadata_store.h"

#include <cstdio>
#include <random>

namespace strata::replication {

std::string new_topic_id() {
  std::random_device rd;
  char text[33];
  std::snprintf(text, sizeof(text), "%08x%08x%08x%08x", rd(), rd(), rd(), rd());
  return text;
}

}  // namespace strata::replication
