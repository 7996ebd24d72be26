#include <acdsim/model/kind_table.hpp>
#include <iostream>
int main() {
  std::cout << acdsim::model::KindTable::of(acdsim::model::KindId::Drbd).size() << " drbd states\n";
}
