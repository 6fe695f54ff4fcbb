/** CloudSSO's `Tags` field: a plain array of {Key, Value}, present only on resources that carry some. */
export function ssoTagsView(tags: Array<{ key: string; value: string }> | undefined): { Tags?: Array<{ Key: string; Value: string }> } {
  return tags && tags.length > 0 ? { Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) } : {};
}
