/* the flow: written next */
typedef int bht_placeholder_unit;
