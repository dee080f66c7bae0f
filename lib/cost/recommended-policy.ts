import type { LifecyclePolicy } from "./lifecycle/types";

/**
 * The lifecycle policy COST-01 asks for, at the configured numbers: expire untagged images
 * `untaggedDays` after push, and keep the newest `maxTaggedImages` images of any tag (an `any`
 * rule, which ECR requires to come last).
 */
export function recommendedLifecyclePolicy(settings: { lifecycleUntaggedDays: number; lifecycleMaxTaggedImages: number }): LifecyclePolicy {
  const days = settings.lifecycleUntaggedDays;
  const keep = settings.lifecycleMaxTaggedImages;
  return {
    rules: [
      {
        rulePriority: 1,
        description: `Expire untagged images ${days} day${days === 1 ? "" : "s"} after push`,
        selection: { tagStatus: "untagged", tagPrefixList: null, tagPatternList: null, countType: "sinceImagePushed", countUnit: "days", countNumber: days, storageClass: "standard" },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keep} images`,
        selection: { tagStatus: "any", tagPrefixList: null, tagPatternList: null, countType: "imageCountMoreThan", countUnit: null, countNumber: keep, storageClass: "standard" },
        action: { type: "expire" },
      },
    ],
  };
}
