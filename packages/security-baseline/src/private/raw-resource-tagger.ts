import { CfnResource, IAspect, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { RAW_TAGGABLE_TYPES, mergeRawTags } from './tags';

/**
 * Adds tags to the raw `CfnResource`s of the types in `RAW_TAGGABLE_TYPES`, which have
 * no tag manager, so `Tags.of` does not reach them.
 *
 * The tags go in through `addPropertyOverride('Tags', ...)`, merged with the tags that
 * the resource already has in its properties or in an earlier override. A resource whose
 * `Tags` cannot be merged, because they are a token or were deleted with
 * `addDeletionOverride`, is left as it is, and `TaggingStandard.enforce` reports it.
 */
export class RawResourceTagger implements IAspect {
  constructor(private readonly tags: Record<string, string>) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || TagManager.of(node) !== undefined
      || !RAW_TAGGABLE_TYPES.includes(node.cfnResourceType)) {
      return;
    }
    const merged = mergeRawTags(node, this.tags);
    if (merged !== undefined) {
      node.addPropertyOverride('Tags', merged);
    }
  }
}
