#include "classify/classifier_holder.h"

#include "classify/golden_cases.h"

namespace sac::classify {

Result<std::shared_ptr<const Classifier>> ClassifierHolder::Build(const std::filesystem::path& dir) {
  auto rules = RuleSet::Load(dir);
  if (!rules) {
    return rules.error();
  }
  auto classifier = std::make_shared<const Classifier>(*rules);
  auto cases = LoadGoldenCases(**rules);
  if (!cases) {
    return cases.error();
  }
  const GoldenReport report = Evaluate(*classifier, *cases);
  const auto failures = report.GateFailures((*rules)->thresholds());
  if (!failures.empty()) {
    std::string message = "the golden cases do worse than rules/clasificador.toml allows:";
    for (const std::string& failure : failures) message += "\n" + failure;
    return MakeError(Errc::kInvalidArgument, message);
  }
  return std::shared_ptr<const Classifier>(std::move(classifier));
}

Result<std::unique_ptr<ClassifierHolder>> ClassifierHolder::Load(const std::filesystem::path& dir) {
  auto built = Build(dir);
  if (!built) {
    return built.error();
  }
  std::unique_ptr<ClassifierHolder> holder(new ClassifierHolder(dir));
  holder->current_ = std::move(*built);
  return holder;
}

std::shared_ptr<const Classifier> ClassifierHolder::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

Status ClassifierHolder::Reload() {
  auto built = Build(dir_);
  if (!built) {
    return built.error();
  }
  std::lock_guard lock(mutex_);
  current_ = std::move(*built);
  return {};
}

}  // namespace sac::classify
