import { describe, expect, it } from "vitest";
import { validateLifecyclePolicy } from "./validate-policy";

// A valid rule to break one field of at a time.
type Raw = Record<string, unknown>;
const rule = (selection: Raw = {}, rest: Raw = {}): Raw => ({
  rulePriority: 1,
  selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10, ...selection },
  action: { type: "expire" },
  ...rest,
});
const policy = (...rules: unknown[]) => ({ rules });
const without = (object: Raw, key: string): Raw => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

function errorsOf(input: unknown) {
  const result = validateLifecyclePolicy(input);
  if (result.ok) throw new Error(`expected errors, the policy was accepted: ${JSON.stringify(result.policy)}`);
  return result.errors;
}

// Each case breaks one thing and expects exactly one error, at that field, saying what is wrong.
const INVALID: [string, unknown, string, RegExp][] = [
  ["text that is not JSON", `{"rules": [${" ".repeat(120)}`, "", /is not valid JSON/],
  ["text longer than PutLifecyclePolicy's maximum", JSON.stringify(policy(rule({}, { description: "x".repeat(31_000) }))), "", /ECR allows at most 30720/],
  ["a JSON array", [], "", /must be a JSON object with a "rules" array, not an array/],
  ["null", null, "", /not null/],
  ["an unknown top-level property", { ...policy(rule()), version: 1 }, "version", /is not a property of a lifecycle policy \(allowed: rules\)/],
  ["no rules property", {}, "rules", /is required/],
  ["rules that are not an array", { rules: { rulePriority: 1 } }, "rules", /must be an array of rules, not an object/],
  ["an empty rules array", policy(), "rules", /must hold at least one rule/],
  ["a rule that is not an object", policy("expire"), "rules[0]", /must be an object .*not a string \("expire"\)/],
  ["an unknown rule property", policy(rule({}, { priority: 2 })), "rules[0].priority", /is not a property of a rule \(allowed: rulePriority, description, selection, action\)/],
  ["a missing rulePriority", policy(without(rule(), "rulePriority")), "rules[0].rulePriority", /is required/],
  ["rulePriority as a string", policy(rule({}, { rulePriority: "1" })), "rules[0].rulePriority", /must be an integer, not a string \("1"\)/],
  ["a fractional rulePriority", policy(rule({}, { rulePriority: 1.5 })), "rules[0].rulePriority", /must be an integer, not 1.5/],
  ["rulePriority 0", policy(rule({}, { rulePriority: 0 })), "rules[0].rulePriority", /must be at least 1, not 0/],
  ["two rules with one rulePriority", policy(rule({ tagStatus: "untagged" }), rule({}, { rulePriority: 1 })), "rules[1].rulePriority", /must be unique: rules\[0\] already has rulePriority 1/],
  ["a description that is not a string", policy(rule({}, { description: 7 })), "rules[0].description", /must be a string, not the number 7/],
  ["a missing selection", policy(without(rule(), "selection")), "rules[0].selection", /is required/],
  ["a selection that is not an object", policy(rule({}, { selection: "any" })), "rules[0].selection", /must be an object, not a string/],
  ["an unknown selection property", policy(rule({ maxAge: 3 })), "rules[0].selection.maxAge", /is not a property of a rule's selection/],
  ["a missing tagStatus", policy(rule({ tagStatus: undefined })), "rules[0].selection.tagStatus", /is required \(one of tagged, untagged, any\)/],
  ["an unknown tagStatus", policy(rule({ tagStatus: "all" })), "rules[0].selection.tagStatus", /must be one of tagged, untagged, any, not "all"/],
  ["tagged without a tag list", policy(rule({ tagStatus: "tagged" })), "rules[0].selection", /needs a tagPatternList or a tagPrefixList when tagStatus is tagged/],
  ["tagged with both tag lists", policy(rule({ tagStatus: "tagged", tagPatternList: ["prod*"], tagPrefixList: ["prod"] })), "rules[0].selection", /tagPatternList or a tagPrefixList, not both/],
  ["untagged with a tagPrefixList", policy(rule({ tagStatus: "untagged", tagPrefixList: ["prod"] })), "rules[0].selection.tagPrefixList", /only used when tagStatus is tagged, not untagged/],
  ["any with a tagPatternList", policy(rule({ tagPatternList: ["prod*"] })), "rules[0].selection.tagPatternList", /only used when tagStatus is tagged, not any/],
  ["a tagPatternList that is a string", policy(rule({ tagStatus: "tagged", tagPatternList: "prod*" })), "rules[0].selection.tagPatternList", /must be an array of strings, not a string \("prod\*"\)/],
  ["an empty tagPrefixList", policy(rule({ tagStatus: "tagged", tagPrefixList: [] })), "rules[0].selection.tagPrefixList", /must list at least one tag prefix/],
  ["a number in a tagPatternList", policy(rule({ tagStatus: "tagged", tagPatternList: ["prod*", 7] })), "rules[0].selection.tagPatternList[1]", /must be a string, not the number 7/],
  ["an empty tag prefix", policy(rule({ tagStatus: "tagged", tagPrefixList: [""] })), "rules[0].selection.tagPrefixList[0]", /must not be empty/],
  ["a pattern with five wildcards", policy(rule({ tagStatus: "tagged", tagPatternList: ["*test*1*2*3", "test*1*2*3*4*5*6"] })), "rules[0].selection.tagPatternList[1]", /has 6 wildcards \(\*\): ECR allows at most 4/],
  ["a missing countType", policy(rule({ countType: undefined })), "rules[0].selection.countType", /is required \(one of imageCountMoreThan, sinceImagePushed, sinceImagePulled, sinceImageTransitioned\)/],
  ["an unknown countType", policy(rule({ countType: "sinceImageCreated", countUnit: "days" })), "rules[0].selection.countType", /must be one of .*, not "sinceImageCreated"/],
  ["sinceImagePushed without countUnit", policy(rule({ countType: "sinceImagePushed" })), "rules[0].selection.countUnit", /is required \("days"\) when countType is sinceImagePushed/],
  ["a countUnit with imageCountMoreThan", policy(rule({ countUnit: "days" })), "rules[0].selection.countUnit", /remove it for imageCountMoreThan/],
  ["a countUnit other than days", policy(rule({ countType: "sinceImagePushed", countUnit: "weeks" })), "rules[0].selection.countUnit", /must be "days" \(the only unit ECR has\), not a string \("weeks"\)/],
  ["a missing countNumber", policy(rule({ countNumber: undefined })), "rules[0].selection.countNumber", /is required/],
  ["countNumber as a string", policy(rule({ countNumber: "10" })), "rules[0].selection.countNumber", /must be an integer, not a string \("10"\)/],
  ["countNumber 0", policy(rule({ countNumber: 0 })), "rules[0].selection.countNumber", /must be at least 1, not 0/],
  ["a fractional countNumber", policy(rule({ countNumber: 2.5 })), "rules[0].selection.countNumber", /must be an integer, not 2.5/],
  ["an unknown storageClass", policy(rule({ storageClass: "glacier" })), "rules[0].selection.storageClass", /must be one of standard, archive, not "glacier"/],
  ["archive with imageCountMoreThan", policy(rule({ storageClass: "archive" })), "rules[0].selection.storageClass", /must be standard \(or omitted\) when countType is imageCountMoreThan/],
  [
    "sinceImageTransitioned without storageClass",
    policy(rule({ countType: "sinceImageTransitioned", countUnit: "days", countNumber: 365 })),
    "rules[0].selection.storageClass",
    /is required \(archive\) when countType is sinceImageTransitioned/,
  ],
  [
    "sinceImageTransitioned on standard storage",
    policy(rule({ countType: "sinceImageTransitioned", countUnit: "days", countNumber: 365, storageClass: "standard" })),
    "rules[0].selection.storageClass",
    /must be archive when countType is sinceImageTransitioned/,
  ],
  [
    "expiring archived images before 90 days",
    policy(rule({ countType: "sinceImageTransitioned", countUnit: "days", countNumber: 30, storageClass: "archive" })),
    "rules[0].selection.countNumber",
    /must be at least 90 for sinceImageTransitioned, not 30/,
  ],
  ["a missing action", policy(without(rule(), "action")), "rules[0].action", /is required/],
  ["an unknown action property", policy(rule({}, { action: { type: "expire", after: 1 } })), "rules[0].action.after", /is not a property of a rule's action/],
  ["a missing action type", policy(rule({}, { action: {} })), "rules[0].action.type", /is required \(one of expire, transition\)/],
  ["an unknown action type", policy(rule({}, { action: { type: "delete" } })), "rules[0].action.type", /must be one of expire, transition, not "delete"/],
  ["transition without targetStorageClass", policy(rule({}, { action: { type: "transition" } })), "rules[0].action.targetStorageClass", /is required \(one of archive\)/],
  ["transition to standard", policy(rule({}, { action: { type: "transition", targetStorageClass: "standard" } })), "rules[0].action.targetStorageClass", /must be one of archive, not "standard"/],
  // cloudposse/terraform-aws-ecr#158: ECR rejects `"targetStorageClass": null` on an expire rule.
  ["targetStorageClass null on expire", policy(rule({}, { action: { type: "expire", targetStorageClass: null } })), "rules[0].action.targetStorageClass", /is only used when type is transition/],
  [
    "sinceImagePulled with expire",
    policy(rule({ countType: "sinceImagePulled", countUnit: "days", countNumber: 90 })),
    "rules[0].action.type",
    /must be transition when countType is sinceImagePulled: ECR cannot expire images by pull time/,
  ],
  [
    "sinceImageTransitioned with transition",
    policy(rule({ countType: "sinceImageTransitioned", countUnit: "days", countNumber: 365, storageClass: "archive" }, { action: { type: "transition", targetStorageClass: "archive" } })),
    "rules[0].action.type",
    /must be expire when countType is sinceImageTransitioned/,
  ],
  [
    "an any rule before another rule",
    policy(rule(), rule({ tagStatus: "untagged" }, { rulePriority: 2 })),
    "rules[0].rulePriority",
    /must be the highest of the rules selecting standard images because tagStatus is any .*rules\[1\] has rulePriority 2/,
  ],
  ["two any rules", policy(rule({}, { rulePriority: 2 }), rule({}, { rulePriority: 3 })), "rules[1].selection.tagStatus", /can be any in only one of the rules selecting standard images: rules\[0\] is already any/],
  [
    "two untagged rules",
    policy(rule({ tagStatus: "untagged" }), rule({ tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, { rulePriority: 2 })),
    "rules[1].selection.tagStatus",
    /can be untagged in only one of the rules selecting standard images/,
  ],
  [
    "two rules with the same tag prefixes",
    policy(rule({ tagStatus: "tagged", tagPrefixList: ["prod", "v"] }), rule({ tagStatus: "tagged", tagPrefixList: ["v", "prod"] }, { rulePriority: 2 })),
    "rules[1].selection.tagPrefixList",
    /repeats the tag prefixes of rules\[0\]/,
  ],
];

describe("validateLifecyclePolicy: what ECR rejects", () => {
  it.each(INVALID)("rejects %s, naming the field", (_name, input, path, message) => {
    const errors = errorsOf(input);
    expect(errors).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it("rejects text shorter than PutLifecyclePolicy's minimum, with what else is wrong", () => {
    expect(errorsOf('{"rules": []}')).toEqual([
      { path: "", message: "is 13 characters long; ECR requires at least 100" },
      { path: "rules", message: "must hold at least one rule" },
    ]);
  });

  it("lists every error at once, not only the first", () => {
    const errors = errorsOf(
      policy(
        rule({ tagStatus: "tagged", countNumber: "5" }, { rulePriority: "1" }),
        rule({ countType: "sinceImagePulled", countUnit: "weeks" }, { rulePriority: 2, action: { type: "expire", targetStorageClass: "archive" }, note: "x" }),
      ),
    );
    expect(errors.map((e) => e.path)).toEqual([
      "rules[0].rulePriority",
      "rules[0].selection",
      "rules[0].selection.countNumber",
      "rules[1].note",
      "rules[1].selection.countUnit",
      "rules[1].action.targetStorageClass",
      "rules[1].action.type",
    ]);
  });
});

// The policies of AWS's "Examples of lifecycle policies in Amazon ECR" page, which ECR accepts.
const AWS_EXAMPLES: [string, Raw][] = [
  ["Filtering on image age", policy({ rulePriority: 1, description: "Expire images older than 14 days", selection: { tagStatus: "tagged", tagPatternList: ["prod*"], countType: "sinceImagePushed", countUnit: "days", countNumber: 14 }, action: { type: "expire" } })],
  ["Filtering on last pulled time", policy({ rulePriority: 1, selection: { tagStatus: "any", countType: "sinceImagePulled", countUnit: "days", countNumber: 90 }, action: { type: "transition", targetStorageClass: "archive" } })],
  ["Filtering on archive transition time", policy({ rulePriority: 1, selection: { tagStatus: "any", storageClass: "archive", countType: "sinceImageTransitioned", countUnit: "days", countNumber: 365 }, action: { type: "expire" } })],
  [
    "Combining archive and expire rules",
    policy(
      { rulePriority: 1, selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 }, action: { type: "transition", targetStorageClass: "archive" } },
      { rulePriority: 2, selection: { tagStatus: "any", storageClass: "archive", countType: "sinceImageTransitioned", countUnit: "days", countNumber: 365 }, action: { type: "expire" } },
    ),
  ],
  [
    "Filtering on all images, Example B",
    policy(
      { rulePriority: 1, selection: { tagStatus: "tagged", tagPatternList: ["alpha*"], countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } },
      { rulePriority: 2, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: { type: "expire" } },
      { rulePriority: 3, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } },
    ),
  ],
];

describe("validateLifecyclePolicy: what ECR accepts", () => {
  it.each(AWS_EXAMPLES)("accepts AWS's example %s", (_name, input) => {
    expect(validateLifecyclePolicy(JSON.stringify(input, null, 2))).toMatchObject({ ok: true });
  });

  it("accepts four wildcards in a pattern, and prefix and pattern lists in different rules", () => {
    const result = validateLifecyclePolicy(
      policy(rule({ tagStatus: "tagged", tagPatternList: ["*test*1*2*3", "test*1*2*3*"] }), rule({ tagStatus: "tagged", tagPrefixList: ["prod"] }, { rulePriority: 2 }), rule({}, { rulePriority: 9 })),
    );
    expect(result.ok).toBe(true);
  });

  it("normalises a rule into the engine's shape", () => {
    const text = JSON.stringify(
      policy(
        { rulePriority: 5, selection: { tagStatus: "ANY", countType: "imageCountMoreThan", countNumber: 3 }, action: { type: "Expire" } },
        { rulePriority: 2, description: "untagged", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "DAYS", countNumber: 7, storageClass: "standard" }, action: { type: "expire" } },
      ),
    );
    expect(validateLifecyclePolicy(text)).toEqual({
      ok: true,
      policy: {
        rules: [
          {
            rulePriority: 5,
            description: null,
            selection: { tagStatus: "any", tagPrefixList: null, tagPatternList: null, countType: "imageCountMoreThan", countUnit: null, countNumber: 3, storageClass: "standard" },
            action: { type: "expire" },
          },
          {
            rulePriority: 2,
            description: "untagged",
            selection: { tagStatus: "untagged", tagPrefixList: null, tagPatternList: null, countType: "sinceImagePushed", countUnit: "days", countNumber: 7, storageClass: "standard" },
            action: { type: "expire" },
          },
        ],
      },
    });
  });
});
